"""Flip and multi-scale test-time augmentation with landmarks."""
import contextlib
import functools

import torch
from mmcv.ops import batched_nms
from mmdet.models.test_time_augs import DetTTAModel
from mmdet.registry import MODELS
from mmdet.structures.bbox import bbox_flip
from mmengine.structures import InstanceData

from ...structures import FACE_FLIP_INDICES, FaceKeypoints


def dense_head_of(detector):
    """The dense head of a detector (or of a distiller's student)."""
    for model in (detector, getattr(detector, 'student', None)):
        head = getattr(model, 'bbox_head', None)
        if head is not None:
            return head
    return None


@contextlib.contextmanager
def head_without_nms(head):
    """Make ``head.predict_by_feat`` skip NMS (``with_nms=False``) inside
    the block; the detector's own ``predict``/``test_step`` still rescales
    to the original image."""
    if head is None:
        yield
        return
    head.predict_by_feat = functools.partial(type(head).predict_by_feat,
                                             head,
                                             with_nms=False)
    try:
        yield
    finally:
        del head.predict_by_feat


@MODELS.register_module()
class FaceTTAModel(DetTTAModel):
    """``DetTTAModel`` that merges faces together with their landmarks.

    Each view (scales x flips of mmdet's ``TestTimeAug``) runs the
    detector's ``test_step`` with the head's NMS switched off and the
    predictions rescaled to the original image; boxes and landmarks of
    flipped views are mirrored back (``ori_shape`` width) and their
    left/right landmarks swapped (``flip_indices``); then all views are
    concatenated and one NMS (``tta_cfg.nms``, e.g. IoU 0.4) keeps the best
    boxes with the landmarks of the kept boxes.

    The TTA pipeline must pack ``flip``, ``flip_direction`` and
    ``ori_shape`` (see ``configs/_base_/face_tta.py``). The merged sample
    is the first unflipped view with ``scale_factor=(1, 1)``, ``flip=False``
    and ``img_shape=ori_shape``: load the annotations after the resize and
    flip so its ground truth is in original-image coordinates too.

    Args:
        tta_cfg (dict): ``nms`` (an mmcv ``batched_nms`` config) and
            ``max_per_img``.
        flip_indices (sequence[int]): landmark order after a horizontal
            flip.
        head_nms (bool): keep the head's own NMS on each view before the
            merge (default False: merge the raw candidates).
    """

    def __init__(self,
                 tta_cfg=None,
                 flip_indices=FACE_FLIP_INDICES,
                 head_nms=False,
                 **kwargs):
        super().__init__(tta_cfg=tta_cfg, **kwargs)
        self.flip_indices = tuple(flip_indices)
        self.head_nms = head_nms

    def test_step(self, data):
        context = contextlib.nullcontext() if self.head_nms else \
            head_without_nms(dense_head_of(self.module))
        with context:
            return super().test_step(data)

    def _recover(self, pred, meta):
        """Boxes and landmarks of one view in original-image coordinates."""
        bboxes = pred.bboxes
        keypoints = pred.get('keypoints')
        if meta.get('flip', False):
            direction = meta.get('flip_direction', 'horizontal')
            if direction != 'horizontal':
                raise ValueError('FaceTTAModel merges horizontal flips only, '
                                 f'got {direction!r}')
            bboxes = bbox_flip(bboxes, meta['ori_shape'], direction)
            if keypoints is not None:
                # the same flip as FaceRandomFlip's, so flipping back undoes it
                keypoints = FaceKeypoints(keypoints, clone=False)
                keypoints.flip_(meta['ori_shape'][:2], direction,
                                self.flip_indices)
                keypoints = keypoints.tensor
        return bboxes, keypoints

    def _merge_single_sample(self, data_samples):
        bboxes, scores, labels, keypoints = [], [], [], []
        for sample in data_samples:
            pred = sample.pred_instances
            b, k = self._recover(pred, sample.metainfo)
            bboxes.append(b)
            scores.append(pred.scores)
            labels.append(pred.labels)
            keypoints.append(k)
        # The merged faces are in original-image coordinates: describe the
        # result as the unflipped image at scale 1 (the metric rescales
        # ground truth by ``scale_factor``; the TTA pipeline loads it in
        # original coordinates, after resize and flip).
        merged = next((s for s in data_samples if not s.get('flip', False)),
                      data_samples[0])
        ori_shape = merged.metainfo.get('ori_shape')
        merged.set_metainfo(
            dict(scale_factor=(1.0, 1.0), flip=False, flip_direction=None))
        if ori_shape is not None:
            merged.set_metainfo(dict(img_shape=tuple(ori_shape[:2])))
        bboxes = torch.cat(bboxes)
        if bboxes.numel() == 0:
            merged.pred_instances = data_samples[0].pred_instances[:0]
            return merged
        scores, labels = torch.cat(scores), torch.cat(labels)
        dets, keep = batched_nms(bboxes, scores, labels, self.tta_cfg['nms'])
        keep = keep[:self.tta_cfg.get('max_per_img', len(keep))]
        results = InstanceData()
        results.bboxes = bboxes[keep]
        results.scores = scores[keep]
        results.labels = labels[keep]
        if all(k is not None for k in keypoints):
            results.keypoints = torch.cat(keypoints)[keep]
        merged.pred_instances = results
        return merged
