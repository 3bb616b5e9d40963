"""Anchor head with classification, box and 5-point landmark outputs."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.models.dense_heads import AnchorHead
from mmdet.models.task_modules.prior_generators import anchor_inside_flags
from mmdet.models.utils import unmap
from mmdet.registry import MODELS, TASK_UTILS
from mmdet.structures.bbox import get_box_tensor

from .face_head_mixin import FaceHeadMixin


@MODELS.register_module()
class FaceAnchorHead(FaceHeadMixin, AnchorHead):
    """RetinaFace-style head: one 1x1 conv per level and task.

    Anchors, box coding, assignment and NMS come from mmdet; this head adds
    landmark targets/predictions (``keypoints``, N x K x 2) and the RetinaFace
    classification loss with online hard negative mining when the
    classifier is a softmax (``loss_cls.use_sigmoid=False``); a sigmoid loss
    (e.g. ``FocalLoss``) is applied on every anchor instead. The face-head
    protocol and inference (flattening, decoding, post-processing) come
    from :class:`FaceHeadMixin`.

    Args:
        in_channels (int): channels of every input level.
        landmark_coder (dict): landmark encoding (see ``LandmarkCoder``).
        loss_ldm (dict): landmark regression loss.
        train_cfg (dict): needs ``assigner``, ``allowed_border``,
            ``pos_weight`` and, for the softmax classifier, ``neg_pos_ratio``.
            Optional ``difficulty_weight`` (default off) weights the
            classification, box and landmark losses of each positive anchor
            by the difficulty of its face, ``clamp((ref_size /
            sqrt(w * h)) ** power, 1, max_weight)`` (small faces count more),
            times ``1 + blur_gain * blur`` when ``gt_instances`` has a
            ``blur`` field; with ``normalize=True`` (default) the weights
            are rescaled to average 1 over the positives of the batch, so
            only the balance between faces changes, not the loss scale.
            E.g. ``difficulty_weight=dict(ref_size=64, power=0.5,
            max_weight=3.0)``.
    """

    def __init__(self,
                 num_classes=1,
                 in_channels=64,
                 anchor_generator=dict(
                     type='AnchorGenerator',
                     strides=[8, 16, 32],
                     ratios=[1.0],
                     scales=[1, 2],
                     base_sizes=[16, 64, 256],
                     centers=[(4, 4), (8, 8), (16, 16)]),
                 bbox_coder=dict(
                     type='DeltaXYWHBBoxCoder',
                     target_means=(0., 0., 0., 0.),
                     target_stds=(0.1, 0.1, 0.2, 0.2),
                     clip_border=False),
                 landmark_coder=dict(type='LandmarkCoder', variance=0.1),
                 loss_cls=dict(
                     type='CrossEntropyLoss',
                     use_sigmoid=False,
                     loss_weight=1.0),
                 loss_bbox=dict(
                     type='SmoothL1Loss', beta=1.0, loss_weight=2.0),
                 loss_ldm=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0),
                 **kwargs):
        self.landmark_coder = TASK_UTILS.build(landmark_coder)
        super().__init__(
            num_classes=num_classes,
            in_channels=in_channels,
            anchor_generator=anchor_generator,
            bbox_coder=bbox_coder,
            loss_cls=loss_cls,
            loss_bbox=loss_bbox,
            **kwargs)
        self.loss_ldm = MODELS.build(loss_ldm)

    def _init_layers(self):
        a = self.num_base_priors
        levels = range(self.prior_generator.num_levels)

        def convs(out_per_anchor):
            return nn.ModuleList(
                nn.Conv2d(self.in_channels, a * out_per_anchor, 1)
                for _ in levels)

        self.cls_convs = convs(self.cls_out_channels)
        self.reg_convs = convs(self.bbox_coder.encode_size)
        self.ldm_convs = convs(self.landmark_coder.encode_size)

    def forward(self, x):
        """Return per-level lists (cls_scores, bbox_preds, ldm_preds)."""
        return ([conv(f) for conv, f in zip(self.cls_convs, x)],
                [conv(f) for conv, f in zip(self.reg_convs, x)],
                [conv(f) for conv, f in zip(self.ldm_convs, x)])

    # ------------------------------------------------------------- training
    def _get_targets_single(self,
                            flat_anchors,
                            valid_flags,
                            gt_instances,
                            img_meta,
                            gt_instances_ignore=None,
                            unmap_outputs=True):
        results = super()._get_targets_single(flat_anchors, valid_flags,
                                              gt_instances, img_meta,
                                              gt_instances_ignore,
                                              unmap_outputs)
        pos_inds, sampling_result = results[4], results[6]
        inside = anchor_inside_flags(flat_anchors, valid_flags,
                                     img_meta['img_shape'][:2],
                                     self.train_cfg['allowed_border'])
        num_inside = int(inside.sum())
        size = self.landmark_coder.encode_size
        ldm_targets = flat_anchors.new_zeros(num_inside, size)
        ldm_weights = flat_anchors.new_zeros(num_inside, size)
        if len(pos_inds) > 0 and 'keypoints' in gt_instances:
            gt_inds = sampling_result.pos_assigned_gt_inds
            points = gt_instances.keypoints[gt_inds].float()
            visible = gt_instances.keypoints_visible[gt_inds].float()
            ldm_targets[pos_inds] = self.landmark_coder.encode(
                sampling_result.pos_priors, points)
            ldm_weights[pos_inds] = visible.repeat_interleave(2, dim=1)
        difficulty = self._difficulty_weights(gt_instances, sampling_result)
        if difficulty is not None:
            scale = flat_anchors.new_ones(num_inside)
            scale[pos_inds] = difficulty
            ldm_weights = ldm_weights * scale[:, None]
        if unmap_outputs:
            total = flat_anchors.size(0)
            ldm_targets = unmap(ldm_targets, total, inside)
            ldm_weights = unmap(ldm_weights, total, inside)
            if difficulty is not None:
                scale = unmap(scale, total, inside, fill=1)
        if difficulty is not None:
            results = (results[0], results[1] * scale, results[2],
                       results[3] * scale[:, None]) + results[4:]
        return results + (ldm_targets, ldm_weights)

    def _difficulty_weights(self, gt_instances, sampling_result):
        """Per-positive-anchor weights of ``train_cfg.difficulty_weight``,
        or None when it is off (or there are no positives)."""
        cfg = (self.train_cfg or {}).get('difficulty_weight')
        if not cfg or len(sampling_result.pos_inds) == 0:
            return None
        gt_inds = sampling_result.pos_assigned_gt_inds
        boxes = get_box_tensor(gt_instances.bboxes)[gt_inds].float()
        size = ((boxes[:, 2] - boxes[:, 0]).clamp(min=1) *
                (boxes[:, 3] - boxes[:, 1]).clamp(min=1)).sqrt()
        weight = (cfg.get('ref_size', 64.0) / size).pow(
            cfg.get('power', 0.5)).clamp(1.0, cfg.get('max_weight', 3.0))
        blur_gain = cfg.get('blur_gain', 0.0)
        if blur_gain and 'blur' in gt_instances:
            blur = gt_instances.blur[gt_inds].to(weight)
            weight = weight * (1 + blur_gain * blur)
        return weight

    def _normalize_difficulty(self, labels, label_weights, bbox_weights,
                              ldm_weights):
        """Rescale difficulty-weighted positives to a mean weight of 1."""
        cfg = (self.train_cfg or {}).get('difficulty_weight')
        if not cfg or not cfg.get('normalize', True):
            return label_weights, bbox_weights, ldm_weights
        pos = (labels < self.num_classes) & (bbox_weights[..., 0] > 0)
        total = bbox_weights[..., 0][pos].sum()
        if not pos.any() or total <= 0:
            return label_weights, bbox_weights, ldm_weights
        factor = pos.sum() / total
        label_weights = torch.where(pos, label_weights * factor,
                                    label_weights)
        return label_weights, bbox_weights * factor, ldm_weights * factor

    def loss_by_feat(self,
                     cls_scores,
                     bbox_preds,
                     ldm_preds,
                     batch_gt_instances,
                     batch_img_metas,
                     batch_gt_instances_ignore=None):
        featmap_sizes = [s.shape[-2:] for s in cls_scores]
        device = cls_scores[0].device
        anchor_list, valid_flag_list = self.get_anchors(
            featmap_sizes, batch_img_metas, device=device)
        (labels, label_weights, bbox_targets, bbox_weights, avg_factor,
         ldm_targets, ldm_weights) = self.get_targets(
             anchor_list,
             valid_flag_list,
             batch_gt_instances,
             batch_img_metas,
             batch_gt_instances_ignore=batch_gt_instances_ignore,
             unmap_outputs=True)
        num_imgs = len(batch_img_metas)

        def cat(targets, *shape):
            return torch.cat(targets, 1).reshape(num_imgs, -1, *shape)

        labels = cat(labels)
        label_weights = cat(label_weights)
        cls_flat, bbox_flat, ldm_flat = self.flatten_preds(
            cls_scores, bbox_preds, ldm_preds)
        bbox_weights = cat(bbox_weights, 4)
        ldm_weights = cat(ldm_weights, ldm_flat.size(-1))
        label_weights, bbox_weights, ldm_weights = \
            self._normalize_difficulty(labels, label_weights, bbox_weights,
                                       ldm_weights)
        num_pos = max(float(avg_factor), 1.0)
        losses = dict(
            loss_cls=self._loss_cls(cls_flat, labels, label_weights,
                                    num_pos),
            loss_bbox=self.loss_bbox(
                bbox_flat.reshape(-1, 4),
                cat(bbox_targets, 4).reshape(-1, 4),
                bbox_weights.reshape(-1, 4),
                avg_factor=num_pos))
        num_ldm = max(float((ldm_weights.sum(-1) > 0).sum()), 1.0)
        losses['loss_ldm'] = self.loss_ldm(
            ldm_flat.reshape(-1, ldm_flat.size(-1)),
            cat(ldm_targets, ldm_flat.size(-1)).reshape(-1, ldm_flat.size(-1)),
            ldm_weights.reshape(-1, ldm_flat.size(-1)),
            avg_factor=num_ldm)
        return losses

    def _loss_cls(self, cls_flat, labels, label_weights, num_pos):
        if self.use_sigmoid_cls:
            return self.loss_cls(
                cls_flat.reshape(-1, self.cls_out_channels),
                labels.reshape(-1),
                label_weights.reshape(-1),
                avg_factor=num_pos)
        # Online hard negative mining (neg_pos_ratio negatives per positive,
        # per image), then cross entropy over positives and mined negatives.
        ce = F.cross_entropy(
            cls_flat.reshape(-1, self.cls_out_channels),
            labels.reshape(-1),
            reduction='none').view_as(labels) * label_weights
        pos = labels < self.num_classes
        neg_cand = (labels == self.num_classes) & (label_weights > 0)
        num_neg = (self.train_cfg['neg_pos_ratio'] * pos.sum(1)).clamp(
            max=neg_cand.sum(1))
        mining = ce.detach().masked_fill(~neg_cand, -1.0)
        rank = mining.argsort(1, descending=True).argsort(1)
        neg = rank < num_neg[:, None]
        loss = (ce * (pos | neg)).sum() / num_pos
        return self.loss_cls.loss_weight * loss
