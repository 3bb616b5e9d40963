"""Landmark labels from a teacher (tools/dataset/teacher_landmarks.py):
matching, the extended official format, and the tool end to end."""
import cv2
import numpy as np
import pytest

from ffmm.datasets import WIDERFaceFormatError, WIDERFaceLandmarkDataset
from ffmm.datasets.teacher_landmarks import assign_landmarks, with_landmarks
from ..conftest import REPO, load_script

STUDENT = ('configs/featherface/ffv2_ultra_student.py',
           'checkpoints/ffv2_ultra_wider_split_distilled.pth')


def points(value):
    return np.full((5, 2), value, np.float64)


def test_each_face_takes_its_best_detection_once():
    gt = [[0, 0, 10, 10], [20, 0, 30, 10], [50, 50, 60, 60]]
    dets = [[21, 0, 31, 10], [0, 0, 10, 11], [1, 0, 11, 10]]
    got = assign_landmarks(gt, dets, [points(1), points(2), points(3)])
    np.testing.assert_array_equal(got[0], points(2))  # IoU 0.91 > 0.82
    np.testing.assert_array_equal(got[1], points(1))
    assert got[2] is None  # nothing overlaps it
    # a detection serves one face: the second face gets nothing
    got = assign_landmarks([[0, 0, 10, 10], [0, 0, 10, 10.5]],
                           [[0, 0, 10, 10]], [points(4)])
    np.testing.assert_array_equal(got[0], points(4))
    assert got[1] is None
    assert assign_landmarks(gt, [[0, 0, 10, 30]], [points(5)],
                            iou_thr=0.5) == [None] * 3
    assert assign_landmarks(gt, [], []) == [None] * 3


def test_extended_official_lines_carry_landmarks(tmp_path):
    (tmp_path / 'images/0--A').mkdir(parents=True)
    cv2.imwrite(str(tmp_path / 'images/0--A/a.jpg'),
                np.zeros((40, 60, 3), np.uint8))
    seen = with_landmarks('1 2 10 20 0 0 0 0 0 0',
                          [[3, 4], [5, 6], [7, 8], [9, 10], [11, 12]])
    missed = with_landmarks('30 2 10 20 0 0 0 1 0 0', None)
    assert len(seen.split()) == len(missed.split()) == 25
    ann = tmp_path / 'gt.txt'
    ann.write_text(f'0--A/a.jpg\n3\n{seen}\n{missed}\n'
                   '40 2 10 20 0 0 0 0 0 0\n')
    faces = WIDERFaceLandmarkDataset(
        ann_file=str(ann), data_prefix=dict(img=str(tmp_path / 'images')),
        pipeline=[]).get_data_info(0)['instances']
    np.testing.assert_array_equal(faces[0]['keypoints'],
                                  [[3, 4], [5, 6], [7, 8], [9, 10], [11, 12]])
    assert [f['keypoints_visible'].sum() for f in faces] == [5, 0, 0]
    assert [f['ignore_flag'] for f in faces] == [0, 1, 0]
    ann.write_text('0--A/a.jpg\n1\n' + seen[:seen.rindex(' ')] + '\n')
    with pytest.raises(WIDERFaceFormatError, match=r'gt\.txt:3: .*got 24'):
        WIDERFaceLandmarkDataset(ann_file=str(ann), pipeline=[])


@pytest.fixture
def photo_labels(tmp_path):
    """The astronaut photo with its face box (../shared/README.md) and a
    box where no face is, in the official format."""
    from ffmm.datasets.bundled_photos import bundled_photos
    (tmp_path / 'images/0--A').mkdir(parents=True)
    cv2.imwrite(str(tmp_path / 'images/0--A/astronaut.jpg'),
                bundled_photos()['astronaut'])
    ann = tmp_path / 'gt.txt'
    ann.write_text('0--A/astronaut.jpg\n2\n'
                   '177 56 93 120 0 0 0 0 0 0\n'
                   '400 400 30 30 0 0 0 1 0 0\n')
    return tmp_path, ann


def test_tool_adds_the_teachers_landmarks(photo_labels, monkeypatch,
                                          one_thread):
    from ffmm.apis import detect_faces, init_face_detector
    root, ann = photo_labels
    out = root / 'out' / 'labels.txt'
    tool = load_script('tools', 'dataset', 'teacher_landmarks.py')
    monkeypatch.chdir(REPO)
    tool.main([str(ann), str(root / 'images'), str(out),
               '--config', STUDENT[0], '--checkpoint', STUDENT[1]])
    lines = out.read_text().splitlines()
    src = ann.read_text().splitlines()
    assert lines[:2] == src[:2]
    assert [ln.split()[:10] for ln in lines[2:]] == [
        ln.split() for ln in src[2:]]
    found = np.array(lines[2].split()[10:], float).reshape(5, 3)
    image = cv2.imread(str(root / 'images/0--A/astronaut.jpg'))
    model = init_face_detector(*STUDENT)
    _, direct = detect_faces(model, image)
    np.testing.assert_allclose(found[:, :2], direct['landmarks'][0],
                               atol=0.01)
    assert lines[3].split()[10:] == ['-1.00'] * 15
    assert not (root / 'out' / 'labels.txt.part').exists()
    # the output is never written over
    before = out.read_text()
    with pytest.raises(SystemExit):
        tool.main([str(ann), str(root / 'images'), str(out),
                   '--config', STUDENT[0], '--checkpoint', STUDENT[1]])
    assert out.read_text() == before
    # nor extended twice
    with pytest.raises(SystemExit, match=r'labels\.txt:3 already has'):
        tool.main([str(out), str(root / 'images'), str(root / 'again.txt'),
                   '--config', STUDENT[0], '--checkpoint', STUDENT[1]])


def test_tool_names_a_missing_image(photo_labels, monkeypatch, one_thread):
    root, ann = photo_labels
    (root / 'images/0--A/astronaut.jpg').unlink()
    tool = load_script('tools', 'dataset', 'teacher_landmarks.py')
    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit, match=r'astronaut\.jpg .*gt\.txt:1'):
        tool.main([str(ann), str(root / 'images'), str(root / 'o.txt'),
                   '--config', STUDENT[0], '--checkpoint', STUDENT[1]])
    assert not (root / 'o.txt').exists()
