"""Curriculum learning: train on easy faces first."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmdet.registry import TRANSFORMS


def face_sharpness(img, box):
    """Variance of the Laplacian of the grey face crop (higher = sharper).

    Returns 0 for crops smaller than 3 x 3 pixels.
    """
    h, w = img.shape[:2]
    x1, y1 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x2, y2 = min(int(np.ceil(box[2])), w), min(int(np.ceil(box[3])), h)
    if x2 - x1 < 3 or y2 - y1 < 3:
        return 0.0
    crop = np.asarray(img[y1:y2, x1:x2], np.float32)
    if crop.ndim == 3:
        crop = crop.mean(2)
    return float(cv2.Laplacian(crop, cv2.CV_32F).var())


@TRANSFORMS.register_module()
class FaceCurriculumFilter(BaseTransform):
    """Mark hard faces as ignored (``gt_ignore_flags = True``).

    A face is hard when its shorter box side is below ``min_size`` pixels
    (measured where the transform sits: put it after ``FaceResize`` to
    measure in network-input pixels) or, when ``min_sharpness`` is set, when
    the variance of the Laplacian of its grey crop is below it (blurred).
    Ignored faces keep their boxes and landmarks; ``PackFaceInputs`` moves
    them to ``ignored_instances``. Set the assigner's ``ignore_iof_thr``
    (e.g. 0.5) so the anchors on them are neither positives nor negatives;
    with ``ignore_iof_thr=-1`` they would be trained as background.

    ``FaceCurriculumHook`` changes ``min_size`` / ``min_sharpness`` during
    training; ``min_size=0`` and ``min_sharpness=None`` leave every sample
    untouched.

    Args:
        min_size (float): faces smaller than this are ignored.
        min_sharpness (float, optional): faces blurrier than this are
            ignored.
    """

    def __init__(self, min_size=0.0, min_sharpness=None):
        self.min_size = min_size
        self.min_sharpness = min_sharpness

    @property
    def active(self):
        return bool(self.min_size) or self.min_sharpness is not None

    def transform(self, results):
        boxes = results.get('gt_bboxes')
        if not self.active or boxes is None or len(boxes) == 0:
            return results
        boxes = boxes.numpy() if hasattr(boxes, 'numpy') else np.asarray(boxes)
        hard = np.minimum(boxes[:, 2] - boxes[:, 0],
                          boxes[:, 3] - boxes[:, 1]) < (self.min_size or 0)
        if self.min_sharpness is not None:
            hard |= np.array([
                face_sharpness(results['img'], b) < self.min_sharpness
                for b in boxes
            ])
        flags = results.get('gt_ignore_flags')
        flags = np.zeros(len(boxes), bool) if flags is None else flags
        results['gt_ignore_flags'] = np.asarray(flags, bool) | hard
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(min_size={self.min_size}, '
                f'min_sharpness={self.min_sharpness})')
