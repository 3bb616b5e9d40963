"""Recall by face size: which faces a detector finds, bucketed by the
longer side of the ground-truth box (pixels at original size). Meant for
comparing a student with its teacher where AP alone does not say why."""
import numpy as np

from ffmm.evaluation.functional.ap_protocol import (classify_matches,
                                                    match_image, xyxy_to_xywh)

DEFAULT_EDGES = (0, 16, 32, 64, 128, 256, 384)


def match_faces(boxes, scores, gt_boxes, iou_thr=0.5):
    """The WIDER FACE protocol's matching (``ap_protocol``): in score
    order each detection takes its best-IoU face, and the first one on a
    face at ``iou_thr`` finds it. Boxes are x1, y1, x2, y2.

    Returns ``(found, false_positives)``: a bool per ground-truth face and
    the number of detections that found none."""
    found = np.zeros(len(gt_boxes), bool)
    if len(boxes) == 0 or len(gt_boxes) == 0:
        return found, len(boxes)
    order = np.argsort(-np.asarray(scores), kind='stable')
    best, hit = match_image(xyxy_to_xywh(boxes)[order],
                            xyxy_to_xywh(gt_boxes), iou_thr)
    tp, _ = classify_matches(best, hit, np.ones(len(gt_boxes), bool))
    found[best[tp]] = True
    return found, int((~tp).sum())


class SizeRecall:
    """Accumulates found / total faces per size bucket over images.

    Buckets are ``[edges[k], edges[k + 1])`` with the last one open; faces
    smaller than ``edges[0]`` are not counted."""

    def __init__(self, edges=DEFAULT_EDGES, iou_thr=0.5):
        if list(edges) != sorted(set(edges)) or len(edges) < 1:
            raise ValueError(f'edges must increase strictly, got {edges}')
        self.edges = tuple(edges)
        self.iou_thr = iou_thr
        self.found = np.zeros(len(edges), int)
        self.total = np.zeros(len(edges), int)
        self.false_positives = 0

    def add(self, boxes, scores, gt_boxes):
        gt_boxes = np.asarray(gt_boxes, np.float32).reshape(-1, 4)
        found, fp = match_faces(boxes, scores, gt_boxes, self.iou_thr)
        sizes = np.maximum(gt_boxes[:, 2] - gt_boxes[:, 0],
                           gt_boxes[:, 3] - gt_boxes[:, 1])
        bucket = np.searchsorted(self.edges, sizes, side='right') - 1
        counted = bucket >= 0
        np.add.at(self.total, bucket[counted], 1)
        np.add.at(self.found, bucket[counted], found[counted].astype(int))
        self.false_positives += fp

    def labels(self):
        ends = [str(e) for e in self.edges[1:]] + ['']
        return [f'{a}-{b}' if b else f'>={a}'
                for a, b in zip(self.edges, ends)]

    def recalls(self):
        return [f / t if t else float('nan')
                for f, t in zip(self.found, self.total)]
