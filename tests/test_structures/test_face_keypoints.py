"""FaceKeypoints on its own: geometry, visibility, indexing, conversion."""
import numpy as np
import pytest
import torch

from ffmm.structures import FACE_FLIP_INDICES, FaceKeypoints

# left eye, right eye, nose, left mouth corner, right mouth corner
POINTS = [[30, 40], [50, 40], [40, 50], [32, 60], [48, 60]]


def two_faces():
    pts = np.array([POINTS, np.add(POINTS, [100, 10])], np.float32)
    vis = np.array([[1, 1, 1, 0, 1], [1, 1, 1, 1, 1]], np.float32)
    return FaceKeypoints(pts, vis)


def test_construction_and_conversion():
    kps = two_faces()
    assert len(kps) == 2 and kps.num_points == 5
    assert kps.dtype == torch.float32 and kps.visible.dtype == torch.float32
    assert isinstance(kps.numpy(), np.ndarray)
    assert kps.numpy().shape == (2, 5, 2)
    assert kps.visible_numpy().tolist()[0] == [1, 1, 1, 0, 1]
    # predictions carry no visibility: all visible
    pred = FaceKeypoints(torch.zeros(3, 5, 2, dtype=torch.float64))
    assert pred.dtype == torch.float64
    assert pred.visible.eq(1).all() and pred.visible.shape == (3, 5)
    # inputs are copied unless clone=False
    src = torch.zeros(1, 5, 2)
    FaceKeypoints(src).tensor += 1
    assert src.eq(0).all()
    assert FaceKeypoints(src, clone=False).tensor is src
    with pytest.raises(ValueError, match=r'\(N, K, 2\)'):
        FaceKeypoints(np.zeros((2, 10)))
    with pytest.raises(ValueError, match='visible'):
        FaceKeypoints(np.zeros((2, 5, 2)), np.ones((2, 4)))


def test_empty_and_absent():
    empty = FaceKeypoints(np.zeros((0, 5, 2), np.float32))
    assert len(empty) == 0 and empty.visible.shape == (0, 5)
    absent = FaceKeypoints.absent(2)
    assert absent.tensor.eq(0).all() and absent.visible.eq(0).all()
    assert absent.tensor.shape == (2, 5, 2)


def test_flip_mirrors_and_swaps_left_right():
    kps = two_faces()
    kps.flip_((100, 200))
    np.testing.assert_allclose(
        kps.numpy()[0],
        [[150, 40], [170, 40], [160, 50], [152, 60], [168, 60]])
    # visibility follows its point: the hidden left mouth corner is right
    assert kps.visible[0].tolist() == [1, 1, 1, 1, 0]
    kps.flip_((100, 200))
    np.testing.assert_allclose(kps.numpy(), two_faces().numpy())
    assert torch.equal(kps.visible, two_faces().visible)


def test_flip_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match='horizontally'):
        two_faces().flip_((100, 200), 'vertical')
    with pytest.raises(ValueError, match='flip indices'):
        FaceKeypoints(np.zeros((1, 3, 2))).flip_((10, 10))
    three = FaceKeypoints(np.array([[[1, 0], [2, 0], [5, 0]]]))
    three.flip_((10, 10), flip_indices=(2, 1, 0))
    assert three.tensor[0, :, 0].tolist() == [5, 8, 9]
    assert FACE_FLIP_INDICES == (1, 0, 2, 4, 3)


def test_rescale_translate_project():
    kps = two_faces()
    kps.rescale_((0.5, 2.0))
    np.testing.assert_allclose(kps.numpy()[0, 0], [15, 80])
    kps.translate_((-5, 10))
    np.testing.assert_allclose(kps.numpy()[0, 0], [10, 90])
    # a homography of scale 2 and shift (1, -1)
    kps.project_(np.array([[2, 0, 1], [0, 2, -1], [0, 0, 1]], np.float32))
    np.testing.assert_allclose(kps.numpy()[0, 0], [21, 179])
    assert kps.visible[0].tolist() == [1, 1, 1, 0, 1]  # geometry only


def test_inside_hide_and_clip():
    kps = two_faces()
    inside = kps.is_inside((30, 40, 50, 60))  # right/bottom excluded
    assert inside[0].tolist() == [True, False, True, False, False]
    kps.hide_(inside)
    assert kps.visible[0].tolist() == [0, 1, 0, 0, 1]
    np.testing.assert_allclose(kps.numpy(), two_faces().numpy())  # unmoved
    kps = two_faces()
    kps.clip_((60, 140))  # h, w: the second face's points leave the image
    assert kps.visible[0].tolist() == [1, 1, 1, 0, 1]  # y = 60 is inside
    assert kps.visible[1].tolist() == [1, 0, 1, 0, 0]  # x = 140 inside
    np.testing.assert_allclose(kps.numpy(), two_faces().numpy())


def test_indexing_keeps_points_and_visibility_together():
    kps = two_faces()
    for index in (np.array([False, True]), [1], np.array([1]),
                  torch.tensor([1]), 1, -1, slice(1, 2)):
        one = kps[index]
        assert isinstance(one, FaceKeypoints) and len(one) == 1
        np.testing.assert_allclose(one.numpy()[0], kps.numpy()[1])
        assert one.visible[0].tolist() == [1] * 5
    assert len(kps[[]]) == 0 and kps[[]].num_points == 5
    assert kps[0].visible[0].tolist() == [1, 1, 1, 0, 1]


def test_cat_clone_to():
    kps = FaceKeypoints.cat([two_faces(), FaceKeypoints.absent(1)])
    assert len(kps) == 3
    assert kps.visible[:, 3].tolist() == [0, 1, 0]
    copy = kps.clone()
    copy.tensor += 1
    assert not torch.equal(copy.tensor, kps.tensor)
    moved = kps.to('cpu')
    assert moved.device.type == 'cpu' and len(moved) == 3
    assert 'num_faces=3' in repr(kps)
