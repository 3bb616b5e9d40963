"""Recall by face size (ffmm.analysis.size_recall and its tool)."""
import math

import numpy as np
import pytest

from ffmm.analysis.size_recall import SizeRecall, match_faces
from ..conftest import REPO, load_script, shared_file

STUDENT = ('configs/featherface/ffv2_ultra_student.py',
           'checkpoints/ffv2_ultra_wider_split_distilled.pth')


def test_one_detection_per_face_in_score_order():
    gt = [[0, 0, 10, 10], [100, 100, 140, 140]]
    boxes = [[0, 0, 10, 10], [1, 0, 11, 10], [50, 50, 60, 60]]
    found, fp = match_faces(boxes, [0.6, 0.9, 0.8], gt)
    # the 0.9 duplicate takes the face, the exact box comes second
    assert found.tolist() == [True, False] and fp == 2
    found, fp = match_faces(np.zeros((0, 4)), [], gt)
    assert found.tolist() == [False, False] and fp == 0


def test_a_detection_on_a_found_face_is_false_as_in_the_protocol():
    """Its best face is taken: it does not fall back to a neighbour it
    also overlaps (IoU 0.74 here), as the WIDER FACE evaluation counts."""
    gt = [[0, 0, 10, 10], [2, 0, 12, 10]]
    found, fp = match_faces([[0, 0, 10, 10], [0.5, 0, 10.5, 10]],
                            [0.9, 0.8], gt)
    assert found.tolist() == [True, False] and fp == 1


def test_faces_go_to_the_bucket_of_their_longer_side():
    recall = SizeRecall(edges=(0, 16, 64))
    gt = [[0, 0, 10, 20], [0, 100, 15, 110], [200, 0, 300, 50]]
    recall.add([[0, 0, 10, 20], [200, 0, 300, 50]], [0.9, 0.8], gt)
    assert recall.total.tolist() == [1, 1, 1]
    assert recall.found.tolist() == [0, 1, 1]
    assert recall.labels() == ['0-16', '16-64', '>=64']
    assert recall.recalls() == [0.0, 1.0, 1.0]
    assert math.isnan(SizeRecall(edges=(0, 16)).recalls()[0])
    # below the first edge: not counted (not wrapped into the last bucket)
    above = SizeRecall(edges=(16, 64))
    above.add([], [], [[0, 0, 10, 10], [0, 0, 100, 20]])
    assert above.total.tolist() == [0, 1]
    with pytest.raises(ValueError, match='increase'):
        SizeRecall(edges=(0, 32, 16))


def valid_faces(gt_file, num_images):
    """Faces of the first images of an official label file, invalid ones
    (8th number) left out: counted here without the dataset class."""
    with open(gt_file) as f:
        lines = [ln.strip() for ln in f]
    i, total = 0, 0
    for _ in range(num_images):
        count = int(lines[i + 1])
        rows = lines[i + 2:i + 2 + count]
        total += sum(1 for r in rows if r.split()[7] == '0')
        i += 2 + max(count, 1)
    return total


def test_tool_counts_the_split_faces(monkeypatch, one_thread, capsys):
    gt_file = shared_file('widerface_val', 'wider_face_dev_bbx_gt.txt')
    tool = load_script('tools', 'analysis', 'size_recall.py')
    monkeypatch.chdir(REPO)
    (_, recall), = tool.main([*STUDENT, '--num-images', '3'])
    assert recall.total.sum() == valid_faces(gt_file, 3)
    assert 0 < recall.found.sum() <= recall.total.sum()
    assert f'| {STUDENT[1]} |' in capsys.readouterr().out
    (_, none), = tool.main([*STUDENT, '--num-images', '3',
                            '--score-thr', '1.01'])
    assert none.found.sum() == 0 and none.false_positives == 0
