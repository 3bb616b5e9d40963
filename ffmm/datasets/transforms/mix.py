"""Two-image mixing augmentations that keep boxes and landmarks right.

Both transforms are meant for mmdet's ``MultiImageMixDataset``: the wrapper
calls ``get_indexes(dataset)``, loads that sample with the inner dataset's
pipeline and hands it over as ``results['mix_results'][0]``. Example::

    train_dataloader = dict(dataset=dict(
        _delete_=True,
        type='MultiImageMixDataset',
        dataset=dict(type='WIDERFaceLandmarkDataset', ...,
                     pipeline=[dict(type='LoadImageFromFile'),
                               dict(type='LoadFaceAnnotations')]),
        pipeline=[dict(type='FaceCutMix', prob=0.5),
                  dict(type='RandomSquareCrop', out_size=640), ...]))

Per-face entries (``INSTANCE_KEYS``: boxes, labels, ignore flags and the
``FaceKeypoints`` landmarks with their visibility) are always indexed
together with ``select_instances``.
"""
import numpy as np
from mmcv.transforms import BaseTransform
from mmdet.registry import TRANSFORMS
from mmdet.structures.bbox import HorizontalBoxes

from ...structures import FaceKeypoints
from .instances import INSTANCE_KEYS, select_instances


def _boxes(results):
    boxes = results.get('gt_bboxes')
    if boxes is None:
        return np.zeros((0, 4), np.float32)
    if isinstance(boxes, HorizontalBoxes):
        return boxes.numpy().reshape(-1, 4)
    return np.asarray(boxes, np.float32).reshape(-1, 4)


def _set_boxes(results, boxes):
    results['gt_bboxes'] = HorizontalBoxes(
        np.asarray(boxes, np.float32).reshape(-1, 4))


def _instance_value(results, key, num, like):
    """``results[key]``, or a neutral default for ``num`` faces when the
    sample lacks the key (zeros: label 0, not ignored, landmarks absent)."""
    value = results.get(key)
    if value is not None:
        return value
    if isinstance(like, FaceKeypoints):
        return FaceKeypoints.absent(num, like.num_points)
    return np.zeros((num, ) + like.shape[1:], like.dtype)


def concat_instances(dst, src):
    """Append the faces of ``src`` to those of ``dst`` (in place)."""
    boxes = np.concatenate([_boxes(dst), _boxes(src)])
    n_dst, n_src = len(_boxes(dst)), len(_boxes(src))
    for key in INSTANCE_KEYS:
        if key == 'gt_bboxes':
            continue
        a, b = dst.get(key), src.get(key)
        if a is None and b is None:
            continue
        like = a if a is not None else b
        a = _instance_value(dst, key, n_dst, like)
        b = _instance_value(src, key, n_src, like)
        if isinstance(a, FaceKeypoints):
            dst[key] = FaceKeypoints.cat([a, b])
        else:
            dst[key] = np.concatenate([a, b.astype(a.dtype, copy=False)])
    _set_boxes(dst, boxes)
    return dst


def _partner(results, name):
    mix = results.get('mix_results')
    if not mix:
        raise ValueError(
            f'{name} needs results["mix_results"]: wrap the dataset in '
            "mmdet's MultiImageMixDataset (it calls get_indexes and loads "
            'the second sample)')
    return mix[0]


def _as_dtype(img, dtype):
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        img = np.clip(np.rint(img), info.min, info.max)
    return img.astype(dtype)


class _MixBase(BaseTransform):

    def __init__(self, prob=1.0):
        assert 0.0 <= prob <= 1.0
        self.prob = prob

    def get_indexes(self, dataset):
        """Index of the second sample (uniform over ``dataset``)."""
        return int(np.random.randint(len(dataset)))

    def transform(self, results):
        other = _partner(results, type(self).__name__)
        if np.random.rand() >= self.prob:
            return results
        return self.mix(results, other, self._draw(results, other))


@TRANSFORMS.register_module()
class FaceMixUp(_MixBase):
    """MixUp: ``img = lam * A + (1 - lam) * B``, faces of both kept.

    Images of different sizes are both placed at the top-left corner of a
    canvas of the larger height and the larger width, the uncovered part
    filled with ``pad_value`` (the RetinaFace mean colour), then blended.
    Nothing is resized, so the boxes and landmarks of both images keep their
    coordinates and are simply concatenated (labels, ignore flags and
    landmark visibility included).

    Args:
        ratio (float): the weight ``lam`` of the first image when ``alpha``
            is None.
        alpha (float, optional): draw ``lam ~ Beta(alpha, alpha)`` instead.
        prob (float): probability of mixing; otherwise the sample passes.
        pad_value (tuple): canvas colour (BGR, like the images).
    """

    def __init__(self,
                 ratio=0.5,
                 alpha=None,
                 prob=1.0,
                 pad_value=(104, 117, 123)):
        super().__init__(prob)
        assert 0.0 <= ratio <= 1.0
        self.ratio = ratio
        self.alpha = alpha
        self.pad_value = pad_value

    def _draw(self, results, other):
        if self.alpha:
            return float(np.random.beta(self.alpha, self.alpha))
        return self.ratio

    def _on_canvas(self, img, h, w):
        canvas = np.empty((h, w) + img.shape[2:], np.float32)
        canvas[...] = np.array(self.pad_value, np.float32)[:img.shape[2]] \
            if img.ndim == 3 else self.pad_value[0]
        canvas[:img.shape[0], :img.shape[1]] = img
        return canvas

    def mix(self, results, other, lam):
        """Blend ``other`` into ``results`` with weight ``lam`` for the
        first image (deterministic; ``transform`` draws ``lam``)."""
        img_a, img_b = results['img'], other['img']
        h = max(img_a.shape[0], img_b.shape[0])
        w = max(img_a.shape[1], img_b.shape[1])
        mixed = (lam * self._on_canvas(img_a, h, w) +
                 (1.0 - lam) * self._on_canvas(img_b, h, w))
        results['img'] = _as_dtype(mixed, img_a.dtype)
        results['img_shape'] = (h, w)
        concat_instances(results, other)
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(ratio={self.ratio}, '
                f'alpha={self.alpha}, prob={self.prob})')


@TRANSFORMS.register_module()
class FaceCutMix(_MixBase):
    """CutMix: a rectangle of image B is pasted at the same place in A.

    The rectangle (sides drawn uniformly in ``cut_ratio`` times the width and
    height shared by both images) lies inside both images, so B's faces keep
    their coordinates. Then:

    * faces of A whose box is covered by the rectangle for at least
      ``drop_thr`` of its area are dropped; the others keep their box;
    * faces of B whose box centre lies inside the rectangle are kept, their
      box clipped to the rectangle; the others are dropped;
    * a landmark of a kept face that is no longer visible in its own image
      (inside the rectangle for A's faces, outside it for B's) is marked
      absent (``FaceKeypoints.hide_``: visibility 0); no landmark is moved.

    Args:
        cut_ratio (tuple[float]): range of the rectangle side as a fraction
            of the image side.
        drop_thr (float): covered fraction from which A's faces are dropped.
        prob (float): probability of mixing; otherwise the sample passes.
    """

    def __init__(self, cut_ratio=(0.3, 0.7), drop_thr=0.5, prob=1.0):
        super().__init__(prob)
        assert 0.0 < cut_ratio[0] <= cut_ratio[1] <= 1.0
        self.cut_ratio = tuple(cut_ratio)
        self.drop_thr = drop_thr

    def _draw(self, results, other):
        h = min(results['img'].shape[0], other['img'].shape[0])
        w = min(results['img'].shape[1], other['img'].shape[1])
        cw = max(1, int(round(np.random.uniform(*self.cut_ratio) * w)))
        ch = max(1, int(round(np.random.uniform(*self.cut_ratio) * h)))
        x1 = np.random.randint(w - cw + 1)
        y1 = np.random.randint(h - ch + 1)
        return (x1, y1, x1 + cw, y1 + ch)

    @staticmethod
    def _points_inside(points, region):
        """Same cell convention as ``FaceKeypoints.is_inside``."""
        x1, y1, x2, y2 = region
        return ((points[..., 0] >= x1) & (points[..., 0] < x2) &
                (points[..., 1] >= y1) & (points[..., 1] < y2))

    def mix(self, results, other, region):
        """Paste ``other``'s pixels inside ``region`` (x1, y1, x2, y2 ints)
        into ``results`` (deterministic; ``transform`` draws the region)."""
        x1, y1, x2, y2 = (int(v) for v in region)
        img = results['img'].copy()
        patch = other['img'][y1:y2, x1:x2]
        assert patch.shape[:2] == (y2 - y1, x2 - x1), \
            f'cut region {region} is not inside the second image'
        img[y1:y2, x1:x2] = _as_dtype(patch, img.dtype)
        results['img'] = img
        region = (x1, y1, x2, y2)

        # faces of A: drop the mostly covered ones, hide covered landmarks
        boxes = _boxes(results)
        ix = np.clip(
            np.minimum(boxes[:, 2], x2) - np.maximum(boxes[:, 0], x1), 0, None)
        iy = np.clip(
            np.minimum(boxes[:, 3], y2) - np.maximum(boxes[:, 1], y1), 0, None)
        area = np.maximum(
            (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]), 1e-6)
        select_instances(results, ix * iy / area < self.drop_thr)
        keypoints = results.get('gt_keypoints')
        if keypoints is not None:
            keypoints.hide_(keypoints.is_inside(region))

        # faces of B: keep those centred in the region, clip their boxes
        other = {k: other[k] for k in INSTANCE_KEYS if k in other}
        boxes = _boxes(other)
        centres = (boxes[:, :2] + boxes[:, 2:]) / 2
        select_instances(other, self._points_inside(centres, region))
        _set_boxes(other,
                   np.clip(_boxes(other), [x1, y1, x1, y1], [x2, y2, x2, y2]))
        keypoints = other.get('gt_keypoints')
        if keypoints is not None:
            keypoints.hide_(~keypoints.is_inside(region))
        concat_instances(results, other)
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(cut_ratio={self.cut_ratio}, '
                f'drop_thr={self.drop_thr}, prob={self.prob})')
