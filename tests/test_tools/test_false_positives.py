"""False positives by kind (ffmm.analysis.false_positives and its tool)."""
import numpy as np

from ffmm.analysis.false_positives import (FalsePositiveBreakdown,
                                           classify_image)
from ..conftest import REPO, load_script, shared_file

# x y w h: a face of the setting and one it leaves out (ignored)
FACES = [[0, 0, 99, 99], [300, 0, 99, 99]]
KEEP = [True, False]


def test_each_detection_gets_its_kind():
    dets = [
        [0, 0, 99, 99, 0.9],      # finds face 0
        [2, 0, 99, 99, 0.8],      # face 0 again
        [0, 0, 60, 99, 0.7],      # IoU 0.6 * 99 / 99 -> 0.61: duplicate too
        [0, 0, 40, 99, 0.6],      # IoU ~0.41 with face 0
        [300, 0, 40, 99, 0.5],    # IoU ~0.41 with the ignored face
        [300, 0, 99, 99, 0.4],    # on the ignored face
        [600, 600, 50, 50, 0.3],  # nowhere near a face
    ]
    kinds, sides = classify_image(dets, FACES, KEEP)
    assert kinds == ['tp', 'duplicate', 'duplicate', 'poor box',
                     'poor box, ignored face', 'ignored', 'background']
    assert sides[:6].tolist() == [99] * 6
    assert classify_image(dets[:1], np.zeros((0, 4)), [])[0] == [
        'background']


def test_counts_stop_at_the_detection_that_reaches_the_recall():
    result = FalsePositiveBreakdown()
    # image 1: a poor box outranks the true positive
    result.add([[0, 0, 40, 99, 0.95], [0, 0, 99, 99, 0.9]], FACES, KEEP)
    # image 2: two faces of the setting, one found behind a background box
    result.add([[600, 600, 50, 50, 0.85], [0, 0, 99, 99, 0.8],
                [700, 700, 50, 50, 0.1]],
               [[0, 0, 99, 99], [300, 300, 99, 99]], [True, True])
    assert result.num_faces == 3
    first = result.at_recall(0.3)  # one face of three
    assert first['score'] == 0.9 and first['precision'] == 0.5
    assert first['poor box'] == 1 and first['background'] == 0
    assert first['poor box faces'] == [99.0]
    second = result.at_recall(0.6)
    assert second['score'] == 0.8 and second['background'] == 1
    assert second['precision'] == 2 / 4
    assert result.at_recall(1.0) is None  # the third face is never found


def test_tool_on_dumped_predictions(tmp_path, capsys, monkeypatch):
    gt_file = shared_file('widerface_val', 'wider_face_dev_bbx_gt.txt')
    # perfect predictions: every face of the dev split at score 1
    with open(gt_file) as f:
        lines = [ln.strip() for ln in f]
    i = 0
    while i < len(lines):
        name, count = lines[i], int(lines[i + 1])
        rows = lines[i + 2:i + 2 + count]
        out = tmp_path / name.replace('.jpg', '.txt')
        out.parent.mkdir(parents=True, exist_ok=True)
        boxes = [r.split()[:4] for r in rows]
        out.write_text('\n'.join([name.split('/')[-1][:-4], str(len(boxes))] +
                                 [' '.join(b + ['1.0']) for b in boxes]) +
                       '\n')
        i += 2 + max(count, 1)
    tool = load_script('tools', 'analysis', 'false_positives.py')
    monkeypatch.chdir(REPO)
    tool.main([str(tmp_path), '--recalls', '0.5', '0.9'])
    out = capsys.readouterr().out
    assert f'| {tmp_path} | 0.5 | 1.000 | 1.000 | 0 | 0 | 0 | 0 |' in out
    assert f'| {tmp_path} | 0.9 | 1.000 | 1.000 | 0 | 0 | 0 | 0 |' in out
