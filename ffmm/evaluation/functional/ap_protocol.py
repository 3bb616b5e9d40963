"""The WIDER FACE average precision protocol, on in-memory data.

The numbers match the official WIDER FACE evaluation (the Matlab toolkit and
its Python port) while running in a couple of seconds instead of a minute:

* Boxes are ``x y w h``; IoU follows the official ``+1`` pixel convention
  (``x2 = x + w``, widths ``x2 - x1 + 1``).
* Each setting (easy / medium / hard) counts only the faces in its keep list;
  the other faces are *ignored*: a prediction whose best-IoU face is ignored
  is neither a true nor a false positive, and missing them costs nothing.
* Predictions are matched greedily in the order given (the official code
  assumes files sorted by descending score, which every detector writes):
  each takes its best-IoU face; the first prediction on a kept face with
  IoU >= ``iou_thr`` is a true positive, later ones are false positives.
* Scores are min-max normalised over all predictions of all images, then the
  precision/recall curve is sampled at ``thresh_num`` thresholds
  ``1 - (t + 1) / thresh_num`` and AP is the area under its VOC envelope.
* Images without faces are skipped (their detections are not counted), as in
  the official code.
"""
import warnings
from dataclasses import dataclass
from typing import List, Sequence

import numpy as np

THRESH_NUM = 1000


@dataclass
class PRCurve:
    """Result of one setting. ``precision`` / ``recall`` are sampled at the
    descending ``thresholds`` (precision is NaN where nothing is proposed)."""
    ap: float
    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    num_faces: int


def xyxy_to_xywh(boxes) -> np.ndarray:
    """(N, 4) ``x1 y1 x2 y2`` boxes (any array-like) as the protocol's
    ``x y w h``, float64."""
    b = np.asarray(boxes, np.float64).reshape(-1, 4)
    return np.concatenate([b[:, :2], b[:, 2:] - b[:, :2]], 1)


def bbox_overlaps(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """(N, M) IoU of x y w h boxes with the official ``+1`` convention."""
    p = np.asarray(pred, np.float64)[:, :4]
    g = np.asarray(gt, np.float64)[:, :4]
    px2, py2 = p[:, 2] + p[:, 0], p[:, 3] + p[:, 1]
    gx2, gy2 = g[:, 2] + g[:, 0], g[:, 3] + g[:, 1]
    # Same operation order as the official code so ties at iou_thr agree.
    iw = (np.minimum(px2[:, None], gx2) -
          np.maximum(p[:, None, 0], g[:, 0]) + 1)
    ih = (np.minimum(py2[:, None], gy2) -
          np.maximum(p[:, None, 1], g[:, 1]) + 1)
    inter = iw * ih
    p_area = (px2 - p[:, 0] + 1) * (py2 - p[:, 1] + 1)
    g_area = (gx2 - g[:, 0] + 1) * (gy2 - g[:, 1] + 1)
    union = p_area[:, None] + g_area - inter
    with np.errstate(divide='ignore', invalid='ignore'):
        iou = inter / union
    return np.where((iw > 0) & (ih > 0), iou, 0.0)


def match_image(pred: np.ndarray, gt: np.ndarray, iou_thr: float = 0.5):
    """Best-IoU face of each prediction and whether it reaches ``iou_thr``
    (independent of the setting, so computed once per image)."""
    overlaps = bbox_overlaps(pred, gt)
    best = overlaps.argmax(1)
    return best, overlaps[np.arange(len(best)), best] >= iou_thr


def classify_matches(best: np.ndarray, hit: np.ndarray, keep: np.ndarray):
    """Per prediction: ``tp`` (first prediction on a kept face) and
    ``counted`` (False when its face is ignored: not a false positive)."""
    on_ignored = hit & ~keep[best]
    on_kept = hit & keep[best]
    tp = np.zeros(len(best), bool)
    # The first prediction (in order) on each kept face is the true positive.
    _, first = np.unique(np.where(on_kept, best, -1), return_index=True)
    tp[first] = on_kept[first]
    return tp, ~on_ignored


def image_eval(pred: np.ndarray, gt: np.ndarray, keep: np.ndarray,
               iou_thr: float = 0.5):
    """Official per-image evaluation: ``pred_recall`` (faces found by the
    first k+1 predictions) and ``proposal`` (1 counted, -1 ignored)."""
    tp, counted = classify_matches(*match_image(pred, gt, iou_thr),
                                   np.asarray(keep, bool))
    return np.cumsum(tp).astype(np.float64), np.where(counted, 1.0, -1.0)


def score_thresholds(thresh_num: int = THRESH_NUM) -> np.ndarray:
    """The official thresholds 1 - (t + 1) / thresh_num, descending."""
    return 1 - (np.arange(thresh_num) + 1) / thresh_num


def normalize_scores(score_arrays: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Min-max normalise scores over all images together.

    As in the official code the range always includes [0, 1]: scores in
    [0.2, 0.6] become [0, 1], but logits in [2, 5] become [0.25, 1].
    """
    nonempty = [s for s in score_arrays if len(s)]
    lo = min([1.0] + [float(s.min()) for s in nonempty])
    hi = max([0.0] + [float(s.max()) for s in nonempty])
    diff = hi - lo if hi > lo else 1.0  # all scores equal: keep them
    return [(s - lo) / diff for s in score_arrays]


def pr_counts(scores: np.ndarray, tp: np.ndarray, counted: np.ndarray,
              thresholds: np.ndarray):
    """Sum of the official ``img_pr_info`` over images, in one pass.

    Per image the official code takes, at threshold t, the last prediction
    (in order) scoring >= t and counts the proposals and true positives up to
    it. A prediction is included iff some prediction at or after it scores
    >= t, i.e. iff its *suffix maximum* score is >= t, so each prediction
    adds its counts from the first threshold <= that maximum onward.
    ``scores`` must already be suffix maxima within each image.
    """
    # First threshold index at which each prediction is included.
    first = np.searchsorted(-thresholds, -scores, side='left')
    n = len(thresholds)
    proposals = np.cumsum(np.bincount(first, counted, n + 1)[:n])
    true_pos = np.cumsum(np.bincount(first, tp, n + 1)[:n])
    return proposals, true_pos


def suffix_max(scores: np.ndarray) -> np.ndarray:
    return np.maximum.accumulate(scores[::-1])[::-1]


def voc_ap(recall: np.ndarray, precision: np.ndarray) -> float:
    """Area under the precision envelope (VOC style)."""
    mrec = np.concatenate(([0.], recall, [1.]))
    mpre = np.concatenate(([0.], precision, [0.]))
    # fmax skips the NaN precisions of thresholds with no proposals, which
    # only occur at recall 0 and so never enter the sum.
    mpre = np.fmax.accumulate(mpre[::-1])[::-1]
    i = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def evaluate_pairs(pairs, settings, iou_thr, thresh_num):
    """Core: ``pairs`` lists ``(dets (N, 5), GTImage or None)`` per image
    (None: no ground truth); returns ``{setting: PRCurve}``."""
    scores = normalize_scores([d[:, 4] for d, _ in pairs])
    thresholds = score_thresholds(thresh_num)
    num_faces = {s: 0 for s in settings}
    parts = {s: ([], [], []) for s in settings}  # scores, tp, counted
    for (dets, gt), norm in zip(pairs, scores):
        if gt is None:
            continue
        for s in settings:
            num_faces[s] += int(gt.keep[s].sum())
        if len(dets) == 0 or len(gt.boxes) == 0:
            continue
        best, hit = match_image(dets, gt.boxes, iou_thr)
        smax = suffix_max(norm)
        for s in settings:
            tp, counted = classify_matches(best, hit, gt.keep[s])
            for acc, v in zip(parts[s], (smax, tp, counted)):
                acc.append(v)
    results = {}
    for s in settings:
        cat = [np.concatenate(v) if v else np.zeros(0) for v in parts[s]]
        proposals, true_pos = pr_counts(cat[0], cat[1].astype(np.float64),
                                        cat[2].astype(np.float64), thresholds)
        with np.errstate(divide='ignore', invalid='ignore'):
            precision = true_pos / proposals
            recall = true_pos / num_faces[s]
        if num_faces[s] == 0:
            warnings.warn(f'no {s!r} faces to find: AP is undefined (NaN)')
            ap = float('nan')
        else:
            ap = voc_ap(recall, precision)
        results[s] = PRCurve(ap, precision, recall, thresholds, num_faces[s])
    return results
