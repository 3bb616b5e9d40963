"""The face-head protocol: what distillation, TTA and export may rely on.

Every ffmm face head (``FaceAnchorHead``, ``SmartFaceHead`` and the
RetinaFace / FeatherFace heads built from them) inherits
:class:`FaceHeadMixin` before mmdet's ``AnchorHead``. Code that consumes a
face head (the distiller, ``FaceTTAModel``, ONNX export) checks
``isinstance(head, FaceHeadMixin)`` (see :func:`face_head_of`) and then
uses only the members listed in the class docstring, never the coders or
the prior generator directly.
"""
import contextlib

import torch
from mmdet.models.utils import filter_scores_and_topk
from mmdet.structures.bbox import get_box_tensor
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

# ``max_per_img`` when a test_cfg leaves it out (mmdet requires the key).
DEFAULT_MAX_PER_IMG = 750


class FaceHeadMixin:
    """Protocol and inference of anchor-based face heads with landmarks.

    A face head offers:

    * ``forward(feats) -> (cls_scores, bbox_preds, ldm_preds)``: per-level
      lists of (B, A_l * C, H, W), (B, A_l * 4, H, W), (B, A_l * 2K, H, W).
    * :meth:`flatten_preds`: levels concatenated to (B, A, C), (B, A, 4),
      (B, A, 2K), anchors ordered level, row-major position, anchor size.
    * :meth:`scores_from_logits`: (..., C) logits -> (..., num_classes)
      face probabilities; ``use_sigmoid_cls`` says whether C is
      ``num_classes`` (sigmoid) or ``num_classes + 1`` (softmax with a
      background column last, as mmdet).
    * ``num_points``: landmarks per face (K).
    * :meth:`flat_priors`: the (A, 4) anchors matching ``flatten_preds``,
      built with traceable ops (ONNX graphs with dynamic H, W).
    * :meth:`decode_flat`: flat deltas -> boxes (..., 4) and landmarks
      (..., K, 2) in input pixels; :meth:`predict_dense` does all of it for
      every anchor (what ONNX export outputs).
    * ``predict_by_feat(..., with_nms=False)`` and the
      :meth:`nms_disabled` context (for callers that go through the
      detector, e.g. TTA): predictions without NMS.

    Post-processing is mmdet's ``BaseDenseHead._bbox_post_process`` (score
    threshold and ``nms_pre`` first, then rescale, ``min_bbox_size``,
    ``batched_nms``, ``max_per_img``) with landmarks carried along as the
    ``keypoints`` field (N, K, 2) and rescaled like the boxes.

    The host class provides ``prior_generator``, ``bbox_coder``,
    ``landmark_coder``, ``cls_out_channels``, ``num_classes``,
    ``use_sigmoid_cls`` and ``test_cfg`` (mmdet's ``AnchorHead`` does, plus
    a ``landmark_coder``).
    """

    _nms_off = False  # set by ``nms_disabled``

    def forward(self, feats):
        """Per-level lists ``(cls_scores, bbox_preds, ldm_preds)``."""
        raise NotImplementedError

    @property
    def num_points(self):
        """Landmarks per face."""
        return self.landmark_coder.num_points

    def flatten_preds(self, cls_scores, bbox_preds, ldm_preds):
        """Concatenate levels to (B, A, C), (B, A, 4), (B, A, 2K).

        Anchors are ordered level by level, then row-major position, then
        anchor size: the order of the reference implementations.
        """

        def flat(preds, dim):
            return torch.cat([
                p.permute(0, 2, 3, 1).reshape(p.size(0), -1, dim)
                for p in preds
            ], 1)

        return (flat(cls_scores, self.cls_out_channels),
                flat(bbox_preds, self.bbox_coder.encode_size),
                flat(ldm_preds, self.landmark_coder.encode_size))

    def scores_from_logits(self, cls_logits):
        """Per-class face probabilities (background column dropped)."""
        if self.use_sigmoid_cls:
            return cls_logits.sigmoid()
        return cls_logits.softmax(-1)[..., :self.num_classes]

    def flat_priors(self, cls_scores):
        """Anchors (A, 4) of all levels in the order of ``flatten_preds``.

        The same values as mmdet's ``prior_generator.grid_priors``, but the
        grid comes from ``torch.arange`` over each map's shape (mmdet's
        meshgrid repeats by ``len()``, which tracing freezes), so an ONNX
        graph exported with dynamic height and width stays correct.
        """
        gen = self.prior_generator
        priors = []
        for level, feat in enumerate(cls_scores):
            h, w = feat.shape[-2:]
            stride_w, stride_h = gen.strides[level]
            xs = torch.arange(w, dtype=feat.dtype, device=feat.device)
            ys = torch.arange(h, dtype=feat.dtype, device=feat.device)
            yy, xx = torch.meshgrid(ys * stride_h, xs * stride_w,
                                    indexing='ij')
            shifts = torch.stack([xx, yy, xx, yy], -1).reshape(-1, 1, 4)
            base = gen.base_anchors[level].to(feat)
            priors.append((shifts + base[None]).reshape(-1, 4))
        return torch.cat(priors)

    def decode_flat(self, priors, bbox_flat, ldm_flat):
        """Decode flat deltas with their anchors.

        Args:
            priors (Tensor): (A, 4) anchors, or (..., A, 4) matching the
                deltas.
            bbox_flat (Tensor): (..., A, 4) box deltas.
            ldm_flat (Tensor): (..., A, 2K) landmark deltas.

        Returns:
            tuple[Tensor]: boxes (..., A, 4) as x1, y1, x2, y2 and
            landmarks (..., A, K, 2) as x, y, in input pixels.
        """
        lead = bbox_flat.shape[:-1]
        priors = priors.expand(*lead, 4).reshape(-1, 4)
        boxes = get_box_tensor(
            self.bbox_coder.decode(priors, bbox_flat.reshape(-1, 4)))
        points = self.landmark_coder.decode(
            priors, ldm_flat.reshape(-1, ldm_flat.size(-1)))
        return (boxes.reshape(*lead, 4),
                points.reshape(*lead, self.num_points, 2))

    def predict_dense(self, cls_scores, bbox_preds, ldm_preds):
        """Every anchor's prediction, before score threshold and NMS.

        Returns:
            tuple[Tensor]: boxes (B, A, 4), scores (B, A, num_classes),
            landmarks (B, A, K, 2), in input pixels.
        """
        cls_flat, bbox_flat, ldm_flat = self.flatten_preds(
            cls_scores, bbox_preds, ldm_preds)
        boxes, points = self.decode_flat(
            self.flat_priors(cls_scores), bbox_flat, ldm_flat)
        return boxes, self.scores_from_logits(cls_flat), points

    @contextlib.contextmanager
    def nms_disabled(self):
        """Skip NMS in ``predict_by_feat`` inside the block, also when it
        is reached through the detector (``predict``/``test_step``)."""
        previous = self.__dict__.get('_nms_off')
        self._nms_off = True
        try:
            yield self
        finally:
            if previous is None:
                del self._nms_off
            else:
                self._nms_off = previous

    def predict_by_feat(self,
                        cls_scores,
                        bbox_preds,
                        ldm_preds,
                        batch_img_metas,
                        cfg=None,
                        rescale=False,
                        with_nms=True):
        """Detections per image: ``InstanceData`` with ``bboxes``,
        ``scores``, ``labels`` and ``keypoints`` (N, K, 2).

        ``cfg`` (default ``test_cfg``) takes ``score_thr``, ``nms_pre``,
        ``min_bbox_size``, ``nms`` and ``max_per_img`` (default 750).
        """
        cfg = ConfigDict(self.test_cfg if cfg is None else cfg)
        cfg.setdefault('max_per_img', DEFAULT_MAX_PER_IMG)
        with_nms = with_nms and not self._nms_off
        priors = self.flat_priors(cls_scores)
        cls_flat, bbox_flat, ldm_flat = self.flatten_preds(
            cls_scores, bbox_preds, ldm_preds)
        scores = self.scores_from_logits(cls_flat.detach())
        return [
            self._predict_single(scores[i], bbox_flat[i].detach(),
                                 ldm_flat[i].detach(), priors, meta, cfg,
                                 rescale, with_nms)
            for i, meta in enumerate(batch_img_metas)
        ]

    def _predict_single(self, scores, bbox_pred, ldm_pred, priors, img_meta,
                        cfg, rescale, with_nms):
        # filter first so that only the kept anchors are decoded
        scores, labels, _, kept = filter_scores_and_topk(
            scores, cfg.get('score_thr', 0.0), cfg.get('nms_pre', -1),
            dict(bbox_pred=bbox_pred, ldm_pred=ldm_pred, priors=priors))
        bboxes, keypoints = self.decode_flat(kept['priors'],
                                             kept['bbox_pred'],
                                             kept['ldm_pred'])
        results = InstanceData(bboxes=bboxes,
                               scores=scores,
                               labels=labels,
                               keypoints=keypoints)
        return self._bbox_post_process(results, cfg, rescale, with_nms,
                                       img_meta)

    def _bbox_post_process(self,
                           results,
                           cfg,
                           rescale=False,
                           with_nms=True,
                           img_meta=None):
        """mmdet's post-processing, with ``keypoints`` rescaled by the same
        factors as the boxes (NMS and ``max_per_img`` index them along)."""
        if rescale and img_meta.get('scale_factor') is None:
            rescale = False  # no Resize in the pipeline: original size
        if rescale and 'keypoints' in results:
            factor = [1 / s for s in img_meta['scale_factor']]
            results.keypoints = results.keypoints * \
                results.keypoints.new_tensor(factor)
        return super()._bbox_post_process(results, cfg, rescale, with_nms,
                                          img_meta)


def face_head_of(model, purpose='this operation'):
    """The :class:`FaceHeadMixin` head of a detector or of a distiller's
    student; ``TypeError`` naming ``purpose`` when there is none."""
    net = getattr(model, 'student', None)
    net = model if net is None else net
    head = getattr(net, 'bbox_head', None)
    if not isinstance(head, FaceHeadMixin):
        raise TypeError(
            f'{purpose} needs a face head (FaceHeadMixin: FaceAnchorHead, '
            f'SmartFaceHead, ...); {type(net).__name__} has '
            f'{type(head).__name__}')
    return head
