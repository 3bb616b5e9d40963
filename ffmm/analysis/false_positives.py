"""What the false positives ranked among a detector's true positives are.

WIDER FACE AP falls where high-scoring detections match no face of the
setting. Ranking every detection of the split by score (the protocol's
order), each one is, with the protocol's matching (``ap_protocol``):
a true positive, ignored (on a face the setting leaves out), or a false
positive of one kind:

* ``duplicate``: a second detection on a face already found;
* ``poor box``: IoU 0.3-0.5 with a face of the setting, which it misses;
* ``poor box, ignored face``: the same on a face the setting leaves out;
* ``background``: IoU under 0.3 with every face.

Counted up to the detection at which recall reaches each level, the kinds
say which errors cost precision there.
"""
import numpy as np

from ffmm.evaluation.functional.ap_protocol import (bbox_overlaps,
                                                    classify_matches)

KINDS = ('duplicate', 'poor box', 'poor box, ignored face', 'background')
LOOSE_IOU = 0.3


def classify_image(dets, gt_boxes, keep, iou_thr=0.5):
    """Per detection (x y w h score rows, in file order) its kind
    (``'tp'``, ``'ignored'`` or one of :data:`KINDS`) and the longer side
    of its best-overlapping face (0 when the image has no faces)."""
    dets = np.asarray(dets, np.float64).reshape(-1, 5)
    gt_boxes = np.asarray(gt_boxes, np.float64).reshape(-1, 4)
    if len(gt_boxes) == 0:
        return ['background'] * len(dets), np.zeros(len(dets))
    if len(dets) == 0:
        return [], np.zeros(0)
    overlaps = bbox_overlaps(dets, gt_boxes)
    best = overlaps.argmax(1)
    iou = overlaps[np.arange(len(dets)), best]
    keep = np.asarray(keep, bool)
    tp, counted = classify_matches(best, iou >= iou_thr, keep)
    kinds = []
    for k in range(len(dets)):
        if tp[k]:
            kinds.append('tp')
        elif not counted[k]:
            kinds.append('ignored')
        elif iou[k] >= iou_thr:
            kinds.append('duplicate')
        elif iou[k] >= LOOSE_IOU:
            kinds.append('poor box' if keep[best[k]] else
                         'poor box, ignored face')
        else:
            kinds.append('background')
    return kinds, gt_boxes[best, 2:].max(1)


class FalsePositiveBreakdown:
    """Accumulates the classified detections of a split, then counts the
    false positives ranked above each recall level."""

    def __init__(self, iou_thr=0.5):
        self.iou_thr = iou_thr
        self.scores, self.kinds, self.face_sides = [], [], []
        self.num_faces = 0
        self._ranking = None  # sorted once, after the last add()

    def add(self, dets, gt_boxes, keep):
        kinds, sides = classify_image(dets, gt_boxes, keep, self.iou_thr)
        self.num_faces += int(np.asarray(keep, bool).sum())
        self.scores.extend(np.asarray(dets, np.float64).reshape(-1, 5)[:, 4])
        self.kinds.extend(kinds)
        self.face_sides.extend(sides)
        self._ranking = None

    def _ranked(self):
        """Scores, kinds, face sides and running true-positive count in
        score order (descending, stable)."""
        if self._ranking is None:
            order = np.argsort(-np.asarray(self.scores), kind='stable')
            kinds = np.asarray(self.kinds, object)[order]
            self._ranking = (np.asarray(self.scores)[order], kinds,
                             np.asarray(self.face_sides)[order],
                             np.cumsum(kinds == 'tp'))
        return self._ranking

    def at_recall(self, recall):
        """``{'score', 'precision', kind: count, 'poor box faces'}`` for
        the detections ranked down to the one where ``recall`` is reached,
        or None when it never is. ``'poor box faces'`` lists the longer
        sides of the faces behind ``poor box`` false positives."""
        scores, kinds, sides, found = self._ranked()
        needed = int(np.ceil(recall * self.num_faces))
        if needed == 0 or found.size == 0 or found[-1] < needed:
            return None
        end = int(np.searchsorted(found, needed)) + 1
        top = kinds[:end]
        counted = int((top != 'ignored').sum())
        row = dict(score=float(scores[end - 1]), precision=needed / counted)
        row.update({kind: int((top == kind).sum()) for kind in KINDS})
        row['poor box faces'] = sorted(
            sides[:end][top == 'poor box'].tolist())
        return row
