"""Geometric transforms that move landmarks together with boxes."""
import numpy as np
from mmcv.transforms import BaseTransform
from mmdet.datasets.transforms import RandomFlip, Resize
from mmdet.registry import TRANSFORMS
from mmdet.structures.bbox import HorizontalBoxes

from ...structures import FACE_FLIP_INDICES
from .instances import select_instances


@TRANSFORMS.register_module()
class FaceRandomFlip(RandomFlip):
    """mmdet ``RandomFlip`` that also flips ``gt_keypoints``
    (``FaceKeypoints.flip_``: mirrored, left/right points swapped by
    ``flip_indices``). Landmarks flip horizontally only."""

    def __init__(self, *args, flip_indices=FACE_FLIP_INDICES, **kwargs):
        super().__init__(*args, **kwargs)
        self.flip_indices = tuple(flip_indices)

    def _flip(self, results):
        super()._flip(results)
        if results.get('gt_keypoints') is not None:
            results['gt_keypoints'].flip_(results['img'].shape[:2],
                                          results['flip_direction'],
                                          self.flip_indices)


@TRANSFORMS.register_module()
class FaceResize(Resize):
    """mmdet ``Resize`` that also rescales ``gt_keypoints``."""

    def _resize_bboxes(self, results):
        super()._resize_bboxes(results)
        if results.get('gt_keypoints') is not None:
            results['gt_keypoints'].rescale_(results['scale_factor'])


@TRANSFORMS.register_module()
class RandomSquareCrop(BaseTransform):
    """The RetinaFace training crop.

    A square of side ``scale * short_side`` (scale drawn from ``scales``) is
    cropped at a random position; faces whose centre falls inside are kept
    (boxes clipped, landmarks shifted), faces that would be smaller than
    ``min_face_size`` pixels after resizing to ``out_size`` are dropped.
    After ``max_trials`` failed draws the image is padded to a square with
    the mean colour instead, keeping every face.
    """

    def __init__(self,
                 scales=(0.3, 0.45, 0.6, 0.8, 1.0),
                 max_trials=250,
                 out_size=640,
                 min_face_size=0.0,
                 pad_value=(104, 117, 123)):
        self.scales = scales
        self.max_trials = max_trials
        self.out_size = out_size
        self.min_face_size = min_face_size
        self.pad_value = pad_value

    def transform(self, results):
        img = results['img']
        h, w = img.shape[:2]
        boxes = results['gt_bboxes'].numpy() if len(
            results['gt_bboxes']) else np.zeros((0, 4), np.float32)
        for _ in range(self.max_trials):
            side = int(np.random.choice(self.scales) * min(h, w))
            left = np.random.randint(w - side + 1)
            top = np.random.randint(h - side + 1)
            keep = self._kept_faces(boxes, left, top, side)
            # As in RetinaFace: at least one face must lie wholly inside.
            whole = ((boxes[:, :2] >= [left, top]).all(1) &
                     (boxes[:, 2:] <= [left + side, top + side]).all(1))
            if keep.any() and whole.any():
                return self._apply_crop(results, keep, left, top, side)
        return self._pad_to_square(results)

    def _kept_faces(self, boxes, left, top, side):
        centres = (boxes[:, :2] + boxes[:, 2:]) / 2
        inside = ((centres[:, 0] > left) & (centres[:, 1] > top) &
                  (centres[:, 0] < left + side) &
                  (centres[:, 1] < top + side))
        clipped = np.clip(boxes, [left, top, left, top],
                          [left + side] * 2 + [top + side] * 2)
        size = np.minimum(clipped[:, 2] - clipped[:, 0],
                          clipped[:, 3] - clipped[:, 1])
        return inside & (size * self.out_size / side > self.min_face_size)

    def _apply_crop(self, results, keep, left, top, side):
        results['img'] = results['img'][top:top + side, left:left + side]
        select_instances(results, keep)
        boxes = results['gt_bboxes'].numpy() - [left, top, left, top]
        results['gt_bboxes'] = HorizontalBoxes(
            np.clip(boxes, 0, side).astype(np.float32))
        if results.get('gt_keypoints') is not None:
            results['gt_keypoints'].translate_((-left, -top))
        results['img_shape'] = results['img'].shape[:2]
        return results

    def _pad_to_square(self, results):
        img = results['img']
        h, w = img.shape[:2]
        side = max(h, w)
        canvas = np.empty((side, side, img.shape[2]), img.dtype)
        canvas[...] = np.array(self.pad_value, img.dtype)
        canvas[:h, :w] = img
        results['img'] = canvas
        results['img_shape'] = canvas.shape[:2]
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(scales={self.scales}, '
                f'out_size={self.out_size}, '
                f'min_face_size={self.min_face_size})')
