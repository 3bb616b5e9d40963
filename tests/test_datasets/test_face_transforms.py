"""Landmark-aware transforms on hand-made samples."""
import copy

import numpy as np
import torch
from mmdet.structures.bbox import HorizontalBoxes

import ffmm  # noqa: F401
from ffmm.datasets.transforms import (FaceRandomFlip, FaceResize,
                                      LoadFaceAnnotations, PackFaceInputs,
                                      RandomSquareCrop)
from ffmm.structures import FaceKeypoints


def sample(h=100, w=200):
    pts = np.array([[[30, 40], [50, 40], [40, 50], [32, 60], [48, 60]]],
                   np.float32)
    return dict(
        img=np.arange(h * w * 3, dtype=np.uint8).reshape(h, w, 3),
        img_shape=(h, w),
        gt_bboxes=HorizontalBoxes(np.array([[20, 30, 60, 70]], np.float32)),
        gt_bboxes_labels=np.array([0]),
        gt_ignore_flags=np.array([False]),
        gt_keypoints=FaceKeypoints(
            pts, np.array([[1, 1, 1, 0, 1]], np.float32)))


def test_flip_mirrors_and_swaps_left_right():
    results = FaceRandomFlip(prob=1.0)(sample())
    np.testing.assert_allclose(results['gt_bboxes'].numpy(),
                               [[140, 30, 180, 70]])
    # old right eye (50,40) becomes the new left eye at x = 200 - 50
    np.testing.assert_allclose(
        results['gt_keypoints'].numpy()[0],
        [[150, 40], [170, 40], [160, 50], [152, 60], [168, 60]])
    # visibility follows the points: old left mouth (hidden) is now right
    assert results['gt_keypoints'].visible[0].tolist() == [1, 1, 1, 1, 0]


def test_flip_twice_is_identity():
    s = sample()
    twice = FaceRandomFlip(prob=1.0)(FaceRandomFlip(prob=1.0)(sample()))
    np.testing.assert_allclose(twice['gt_keypoints'].numpy(),
                               s['gt_keypoints'].numpy())
    np.testing.assert_array_equal(twice['gt_keypoints'].visible,
                                  s['gt_keypoints'].visible)
    np.testing.assert_array_equal(twice['img'], s['img'])


def test_resize_scales_landmarks():
    results = FaceResize(scale=(100, 50), keep_ratio=False)(sample())
    np.testing.assert_allclose(results['gt_bboxes'].numpy(),
                               [[10, 15, 30, 35]])
    np.testing.assert_allclose(results['gt_keypoints'].numpy()[0, 0],
                               [15, 20])


def test_square_crop_moves_landmarks_with_boxes():
    np.random.seed(0)
    s = sample()
    s['gt_bboxes'] = HorizontalBoxes(
        np.array([[20, 30, 60, 70], [150, 10, 190, 40]], np.float32))
    for key in ('gt_bboxes_labels', 'gt_ignore_flags'):
        s[key] = np.concatenate([s[key], s[key]])
    pts = s['gt_keypoints'].numpy()
    s['gt_keypoints'] = FaceKeypoints(
        np.concatenate([pts, pts + [130, -20]]), np.ones((2, 5), np.float32))
    for _ in range(20):
        before = copy.deepcopy(s)
        out = RandomSquareCrop(scales=(0.5, 1.0))(copy.deepcopy(s))
        side = out['img'].shape[0]
        assert out['img'].shape[:2] == (side, side)
        n = len(out['gt_bboxes'])
        assert n >= 1
        assert all(len(out[k]) == n for k in (
            'gt_bboxes_labels', 'gt_ignore_flags', 'gt_keypoints'))
        # the crop offset is the same for boxes and landmarks
        boxes = out['gt_bboxes'].numpy()
        assert (boxes >= 0).all() and (boxes <= side).all()
        before_pts = before['gt_keypoints'].numpy()
        for box, pts in zip(boxes, out['gt_keypoints'].numpy()):
            orig = [i for i in range(2) if np.allclose(
                (before_pts[i] - pts).std(0), 0)]
            assert orig, 'landmarks moved differently from each other'
            shift = before_pts[orig[0]][0] - pts[0]
            ob = before['gt_bboxes'].numpy()[orig[0]]
            np.testing.assert_allclose(
                np.clip(ob - np.tile(shift, 2), 0, side), box, atol=1e-4)


def test_pack_carries_keypoints():
    packed = PackFaceInputs()(sample())
    gt = packed['data_samples'].gt_instances
    assert gt.keypoints.shape == (1, 5, 2)
    assert torch.equal(gt.keypoints_visible,
                       torch.tensor([[1., 1., 1., 0., 1.]]))


def test_load_then_pack_keeps_the_tensors_the_heads_read():
    pts = np.arange(10, dtype=np.float32).reshape(5, 2)
    instances = [
        dict(bbox=[0, 0, 10, 10], bbox_label=0, ignore_flag=0,
             keypoints=pts, keypoints_visible=np.ones(5, np.float32)),
        dict(bbox=[5, 5, 8, 8], bbox_label=0, ignore_flag=1,
             keypoints=pts + 1, keypoints_visible=np.zeros(5, np.float32)),
        dict(bbox=[20, 20, 30, 30], bbox_label=0, ignore_flag=0),  # none
    ]
    results = LoadFaceAnnotations()(
        dict(img=np.zeros((40, 40, 3), np.uint8), img_shape=(40, 40),
             instances=instances))
    kps = results['gt_keypoints']
    assert isinstance(kps, FaceKeypoints) and len(kps) == 3
    assert kps.visible.sum(1).tolist() == [5, 0, 0]
    packed = PackFaceInputs()(results)['data_samples']
    gt, ignored = packed.gt_instances, packed.ignored_instances
    assert gt.keypoints.dtype == torch.float32
    assert gt.keypoints_visible.dtype == torch.float32
    assert torch.equal(gt.keypoints,
                       torch.from_numpy(np.stack([pts, 0 * pts])))
    assert gt.keypoints_visible.tolist() == [[1] * 5, [0] * 5]
    assert torch.equal(ignored.keypoints, torch.from_numpy(pts + 1)[None])
    assert ignored.keypoints_visible.shape == (1, 5)
