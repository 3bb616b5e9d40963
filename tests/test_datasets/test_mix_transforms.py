"""FaceMixUp / FaceCutMix / FaceRandomChoiceResize / FaceCurriculumFilter
on hand-made samples: boxes and landmarks before and after."""
import copy

import numpy as np
import pytest
from mmdet.structures.bbox import HorizontalBoxes

import ffmm  # noqa: F401
from ffmm.datasets.transforms import (FaceCurriculumFilter, FaceCutMix,
                                      FaceMixUp, FaceRandomChoiceResize)
from ffmm.datasets.transforms.instances import INSTANCE_KEYS
from ffmm.structures import FaceKeypoints


def face(x1, y1, x2, y2):
    """Box and 5 landmarks (eyes, nose, mouth corners) inside it."""
    w, h = x2 - x1, y2 - y1
    rel = np.array([[.3, .35], [.7, .35], [.5, .55], [.35, .75], [.65, .75]])
    return [x1, y1, x2, y2], (rel * [w, h] + [x1, y1]).astype(np.float32)


def sample(faces, h=100, w=120, value=10):
    boxes = np.array([f[0] for f in faces], np.float32).reshape(-1, 4)
    return dict(img=np.full((h, w, 3), value, np.uint8),
                img_shape=(h, w),
                gt_bboxes=HorizontalBoxes(boxes),
                gt_bboxes_labels=np.zeros(len(faces), np.int64),
                gt_ignore_flags=np.zeros(len(faces), bool),
                gt_keypoints=FaceKeypoints(
                    np.array([f[1] for f in faces],
                             np.float32).reshape(-1, 5, 2),
                    np.ones((len(faces), 5), np.float32)))


def check_consistent(results):
    n = len(results['gt_bboxes'])
    for key in INSTANCE_KEYS:
        assert len(results[key]) == n, key


class FakeDataset:

    def __len__(self):
        return 7


# ---------------------------------------------------------------- MixUp
def test_mixup_blends_and_keeps_all_faces():
    a = sample([face(10, 10, 40, 40)], value=100)
    b = sample([face(60, 50, 100, 90), face(5, 60, 25, 80)], value=200)
    b['gt_keypoints'].visible[1, 3] = 0
    out = FaceMixUp(ratio=0.25).mix(copy.deepcopy(a), b, 0.25)
    assert out['img'].dtype == np.uint8
    assert (out['img'] == 175).all()  # 0.25 * 100 + 0.75 * 200
    check_consistent(out)
    np.testing.assert_allclose(
        out['gt_bboxes'].numpy(),
        np.concatenate([a['gt_bboxes'].numpy(), b['gt_bboxes'].numpy()]))
    np.testing.assert_allclose(
        out['gt_keypoints'].numpy(),
        np.concatenate([a['gt_keypoints'].numpy(),
                        b['gt_keypoints'].numpy()]))
    assert out['gt_keypoints'].visible[2].tolist() == [1, 1, 1, 0, 1]


def test_mixup_of_different_sizes_uses_a_top_left_canvas():
    a = sample([face(10, 10, 40, 40)], h=50, w=120, value=100)
    b = sample([face(60, 70, 100, 110)], h=140, w=80, value=200)
    out = FaceMixUp().mix(copy.deepcopy(a), b, 0.5)
    assert out['img'].shape == (140, 120, 3)
    assert out['img_shape'] == (140, 120)
    assert out['img'][0, 0].tolist() == [150] * 3  # both images
    # only B there: B blended with the mean colour (104, 117, 123)
    assert out['img'][100, 10].tolist() == [152, 158, 162]
    assert out['img'][10, 100].tolist() == [102, 108, 112]  # only A
    # nothing moves: coordinates are those of each source image
    np.testing.assert_allclose(out['gt_bboxes'].numpy()[1],
                               b['gt_bboxes'].numpy()[0])
    np.testing.assert_allclose(out['gt_keypoints'].numpy()[1],
                               b['gt_keypoints'].numpy()[0])


def test_mixup_in_multi_image_mix_dataset_protocol():
    t = FaceMixUp(alpha=1.5)
    idx = t.get_indexes(FakeDataset())
    assert 0 <= idx < 7
    a = sample([face(10, 10, 40, 40)])
    a['mix_results'] = [sample([face(50, 50, 80, 80)])]
    out = t(a)
    assert len(out['gt_bboxes']) == 2
    with pytest.raises(ValueError, match='MultiImageMixDataset'):
        t(sample([face(10, 10, 40, 40)]))
    # prob=0: the sample passes through
    skip = FaceMixUp(prob=0.0)
    a = sample([face(10, 10, 40, 40)])
    a['mix_results'] = [sample([face(50, 50, 80, 80)])]
    assert len(skip(a)['gt_bboxes']) == 1


# --------------------------------------------------------------- CutMix
def test_cutmix_drops_covered_faces_and_keeps_centred_ones():
    a = sample(
        [
            face(10, 10, 40, 40),  # wholly inside the cut: dropped
            face(0, 0, 10, 10),  # outside: untouched
            face(50, 20, 70, 40),  # half covered (x 60..70): kept
        ],
        value=100)
    b = sample(
        [
            face(25, 30, 45, 50),  # centre (35, 40) inside: kept
            face(55, 60, 75, 80),  # centre (65, 70) outside: dropped
            face(-5, 15, 15, 35),  # centre (5, 25) inside, clipped at x = 5
        ],
        value=200)
    region = (5, 5, 60, 55)
    out = FaceCutMix(drop_thr=0.6).mix(copy.deepcopy(a), b, region)
    check_consistent(out)
    img = out['img']
    assert (img[5:55, 5:60] == 200).all()
    assert (img[:5] == 100).all() and (img[:, 60:] == 100).all()
    np.testing.assert_allclose(
        out['gt_bboxes'].numpy(),
        [[0, 0, 10, 10], [50, 20, 70, 40], [25, 30, 45, 50], [5, 15, 15, 35]])


def test_cutmix_hides_landmarks_outside_their_image_without_moving_them():
    a = sample([face(48, 20, 68, 40)], value=100)  # 60 % covered
    b = sample([face(-5, 15, 15, 35)], value=200)
    region = (5, 5, 60, 55)
    a_pts, b_pts = a['gt_keypoints'].numpy(), b['gt_keypoints'].numpy()
    out = FaceCutMix(drop_thr=0.7).mix(copy.deepcopy(a), b, region)
    # landmarks keep their coordinates
    np.testing.assert_allclose(out['gt_keypoints'].numpy()[0], a_pts[0])
    np.testing.assert_allclose(out['gt_keypoints'].numpy()[1], b_pts[0])
    # A's face (x 48..68): points left of x = 60 are now covered by B
    expect_a = (a_pts[0, :, 0] >= 60).astype(np.float32)
    assert out['gt_keypoints'].visible[0].tolist() == expect_a.tolist()
    assert expect_a.tolist() == [0, 1, 0, 0, 1]
    # B's face (x -5..15): points left of x = 5 lie outside the pasted cut
    expect_b = (b_pts[0, :, 0] >= 5).astype(np.float32)
    assert out['gt_keypoints'].visible[1].tolist() == expect_b.tolist()
    assert expect_b.tolist() == [0, 1, 1, 0, 1]


def test_cutmix_random_region_keeps_arrays_in_sync():
    np.random.seed(0)
    t = FaceCutMix(prob=1.0)
    for _ in range(20):
        a = sample([face(10, 10, 40, 40), face(60, 30, 100, 70)], h=90)
        a['mix_results'] = [
            sample([face(20, 20, 50, 50),
                    face(70, 5, 110, 45)], h=110)
        ]
        out = t(a)
        check_consistent(out)
        assert out['img'].shape == (90, 120, 3)
        vis = out['gt_keypoints'].visible_numpy()
        assert set(np.unique(vis)) <= {0.0, 1.0}


# ----------------------------------------------------- multi-scale resize
def test_random_choice_resize_scales_landmarks_per_sample():
    np.random.seed(1)
    t = FaceRandomChoiceResize(scale=(128, 128), ratios=(0.5, 1.0, 1.5))
    seen = set()
    for _ in range(30):
        s = sample([face(12, 10, 60, 50)], h=100, w=120)
        pts = s['gt_keypoints'].numpy()
        out = t(s)
        h, w = out['img'].shape[:2]
        seen.add((w, h))
        sx, sy = w / 120, h / 100
        np.testing.assert_allclose(out['gt_bboxes'].numpy(),
                                   [[12 * sx, 10 * sy, 60 * sx, 50 * sy]],
                                   rtol=1e-5)
        np.testing.assert_allclose(out['gt_keypoints'].numpy(),
                                   pts * [sx, sy],
                                   rtol=1e-5)
    assert seen == {(64, 64), (128, 128), (192, 192)}
    assert t.scale == (128, 128)  # the base is restored after each draw


# ------------------------------------------------------------ curriculum
def test_curriculum_filter_marks_small_and_blurred_faces_ignored():
    s = sample(
        [face(0, 0, 10, 10),
         face(20, 20, 60, 60),
         face(70, 20, 110, 60)])
    rng = np.random.RandomState(0)
    s['img'][20:60, 20:60] = rng.randint(0, 255, (40, 40, 3))  # sharp
    s['img'][20:60, 70:110] = 128  # flat: blurred
    pts = s['gt_keypoints'].numpy()
    out = FaceCurriculumFilter(min_size=16)(copy.deepcopy(s))
    assert out['gt_ignore_flags'].tolist() == [True, False, False]
    out = FaceCurriculumFilter(min_size=16,
                               min_sharpness=50.)(copy.deepcopy(s))
    assert out['gt_ignore_flags'].tolist() == [True, False, True]
    np.testing.assert_allclose(out['gt_keypoints'].numpy(),
                               pts)  # nothing dropped
    out = FaceCurriculumFilter()(copy.deepcopy(s))  # inactive
    assert not out['gt_ignore_flags'].any()


def test_mixing_with_a_sample_without_landmarks_marks_them_absent():
    a = sample([face(10, 10, 40, 40)])
    b = sample([face(60, 50, 100, 90)])
    del b['gt_keypoints']
    out = FaceMixUp().mix(copy.deepcopy(a), b, 0.5)
    check_consistent(out)
    assert out['gt_keypoints'].visible.tolist() == [[1] * 5, [0] * 5]
    out = FaceMixUp().mix(b, copy.deepcopy(a), 0.5)
    assert out['gt_keypoints'].visible.tolist() == [[0] * 5, [1] * 5]
