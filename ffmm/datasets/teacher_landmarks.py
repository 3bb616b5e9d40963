"""Landmark labels from a trained detector (the teacher) for a label file
that has boxes only (WIDER FACE val): offline distillation of landmarks.

Each labelled face takes the landmarks of the teacher detection that
overlaps it most (one detection per face, IoU at least ``iou_thr``);
faces the teacher does not find keep absent landmarks (``-1``), so the
student learns none there. Boxes, flags and ignore marks stay the labels'.
"""
import numpy as np
import torch
from mmdet.structures.bbox import bbox_overlaps

ABSENT = (-1.0, -1.0, -1.0)


def assign_landmarks(gt_boxes, det_boxes, det_landmarks, iou_thr=0.5):
    """Greedy one-to-one matching by IoU, highest first.

    Args:
        gt_boxes: (N, 4) labelled boxes, x1 y1 x2 y2.
        det_boxes: (M, 4) teacher boxes.
        det_landmarks: (M, 5, 2) teacher landmarks.

    Returns:
        list of N entries: a (5, 2) array, or None for an unmatched face.
    """
    gt_boxes = np.asarray(gt_boxes, np.float32).reshape(-1, 4)
    det_boxes = np.asarray(det_boxes, np.float32).reshape(-1, 4)
    assigned = [None] * len(gt_boxes)
    if not len(gt_boxes) or not len(det_boxes):
        return assigned
    ious = bbox_overlaps(torch.from_numpy(gt_boxes),
                         torch.from_numpy(det_boxes)).numpy()
    order = np.argsort(-ious, axis=None, kind='stable')
    used_gt, used_det = set(), set()
    for flat in order:
        g, d = divmod(int(flat), ious.shape[1])
        if ious[g, d] < iou_thr:
            break
        if g in used_gt or d in used_det:
            continue
        used_gt.add(g)
        used_det.add(d)
        assigned[g] = np.asarray(det_landmarks[d], np.float64).reshape(5, 2)
    return assigned


def with_landmarks(line, points):
    """An official face line (10 numbers) extended by 5 ``x y flag``
    triples in ``label.txt``'s convention (flag 0.0; -1 when absent)."""
    triples = ([ABSENT] * 5 if points is None else
               [(float(x), float(y), 0.0) for x, y in points])
    return line + ' ' + ' '.join(f'{v:.2f}' for t in triples for v in t)
