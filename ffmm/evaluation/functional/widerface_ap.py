"""WIDER FACE average precision with the official evaluation protocol.

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

Everything only needs numpy and scipy so that the command line tool can load
this file without importing torch or mmdet.
"""
import os
import os.path as osp
import warnings
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np

WIDER_SETTINGS = ('easy', 'medium', 'hard')
GT_FILES = {
    'face': 'wider_face_val.mat',
    'easy': 'wider_easy_val.mat',
    'medium': 'wider_medium_val.mat',
    'hard': 'wider_hard_val.mat',
}
THRESH_NUM = 1000

# preds[event][image] = (N, 5) float64 array of x, y, w, h, score.
Predictions = Dict[str, Dict[str, np.ndarray]]


@dataclass
class GTImage:
    """Faces of one image: ``boxes`` (M, 4) x y w h and, per setting, a bool
    mask of the faces that count (the rest are ignored)."""
    boxes: np.ndarray
    keep: Dict[str, np.ndarray]


# gt[event][image] = GTImage
GroundTruth = Dict[str, Dict[str, GTImage]]
# subset[event] = image names (no extension) of a split of the val set
Subset = Dict[str, set]


@dataclass
class PRCurve:
    """Result of one setting. ``precision`` / ``recall`` are sampled at the
    descending ``thresholds`` (precision is NaN where nothing is proposed)."""
    ap: float
    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray
    num_faces: int


# --------------------------------------------------------------------- I/O
def load_widerface_gt(gt_dir: str) -> GroundTruth:
    """Read the four official ``wider_*_val.mat`` files of ``gt_dir``."""
    from scipy.io import loadmat  # scipy is slow to import; only needed here

    missing = [f for f in GT_FILES.values()
               if not osp.isfile(osp.join(gt_dir, f))]
    if missing:
        raise FileNotFoundError(
            f'WIDER FACE ground truth folder {gt_dir} lacks '
            f'{", ".join(missing)}')
    # Loading only the variables used is ~10x faster than whole files.
    face = loadmat(
        osp.join(gt_dir, GT_FILES['face']),
        variable_names=['event_list', 'file_list', 'face_bbx_list'])
    keep_lists = {
        s: loadmat(osp.join(gt_dir, GT_FILES[s]),
                   variable_names=['gt_list'])['gt_list']
        for s in WIDER_SETTINGS
    }
    gt = {}
    for i, event_cell in enumerate(face['event_list'][:, 0]):
        event = str(event_cell[0])
        images = {}
        files = face['file_list'][i, 0][:, 0]
        boxes = face['face_bbx_list'][i, 0][:, 0]
        for j, name_cell in enumerate(files):
            faces = boxes[j].astype(np.float64).reshape(-1, 4)
            keep = {}
            for s, lists in keep_lists.items():
                # 1-based face indices, stored as uint8/uint16.
                idx = lists[i, 0][j, 0].astype(np.int64).ravel() - 1
                mask = np.zeros(len(faces), bool)
                mask[idx] = True
                keep[s] = mask
            images[str(name_cell[0])] = GTImage(faces, keep)
        gt[event] = images
    return gt


def read_pred_file(path: str) -> np.ndarray:
    """Parse one ``<image>.txt``: image name, box count, then one
    ``x y w h score`` line per box. Returns an (N, 5) float64 array."""
    with open(path) as f:
        lines = f.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()

    def fail(lineno, msg):
        raise ValueError(f'{path}:{lineno}: {msg}')

    if not lines or not lines[0].strip():
        fail(1, 'expected the image name')
    # The name may carry the event folder and the image extension.
    name = lines[0].strip().replace('\\', '/').split('/')[-1]
    stem = osp.splitext(osp.basename(path))[0]
    if stem not in (name, osp.splitext(name)[0]):
        fail(1, f'image name {name!r} does not match the file name')
    if len(lines) < 2:
        fail(2, 'expected the number of boxes')
    try:
        count = int(lines[1])
    except ValueError:
        fail(2, f'expected the number of boxes, got {lines[1]!r}')
    rows = [ln.split() for ln in lines[2:]]
    if count != len(rows):
        fail(2, f'says {count} boxes but the file has {len(rows)} box lines')
    for k, row in enumerate(rows):
        if len(row) != 5:
            fail(k + 3, f'expected 5 numbers (x y w h score), got {len(row)}')
    try:
        boxes = np.array(rows, np.float64).reshape(-1, 5)
    except ValueError:
        for k, row in enumerate(rows):  # slow path: find the bad line
            try:
                [float(v) for v in row]
            except ValueError:
                fail(k + 3, f'expected numbers, got {" ".join(row)!r}')
        raise
    # float() accepts 'nan'/'inf'; one inf score rescales every other score
    finite = np.isfinite(boxes).all(1)
    if not finite.all():
        k = int(np.argmin(finite))
        fail(k + 3, f'non-finite number (nan/inf) in {" ".join(rows[k])!r}')
    return boxes


def read_widerface_preds(
        pred_dir: str,
        progress: Optional[Callable[[List[str]], Iterable[str]]] = None,
        required_events: Iterable[str] = ()) -> Predictions:
    """Read every ``pred_dir/<event>/<image>.txt``.

    ``progress`` may wrap the list of event folders (e.g. in a progress bar);
    a missing folder of ``required_events`` is an error.
    """
    if not osp.isdir(pred_dir):
        raise FileNotFoundError(f'prediction folder {pred_dir} not found')
    events = sorted(e for e in os.listdir(pred_dir)
                    if osp.isdir(osp.join(pred_dir, e)))
    missing = sorted(set(required_events) - set(events))
    if missing:
        raise FileNotFoundError(
            f'{pred_dir} has no folder for {len(missing)} WIDER FACE '
            f'event(s): {", ".join(missing)}')
    preds = {}
    for event in (progress(events) if progress else events):
        folder = osp.join(pred_dir, event)
        preds[event] = {
            f[:-4]: read_pred_file(osp.join(folder, f))
            for f in os.listdir(folder) if f.endswith('.txt')
        }
    return preds


def read_subset(path: str) -> Subset:
    """Read a split file: one ``event/name.jpg`` line per image (the format
    of ``split_*.txt``); blank lines are skipped, a repeated image is
    counted once with a warning."""
    subset, repeated = {}, 0
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            parts = line.replace('\\', '/').strip('/').split('/')
            if len(parts) != 2 or not all(parts):
                raise ValueError(f'{path}:{lineno}: expected event/name.jpg, '
                                 f'got {line!r}')
            names = subset.setdefault(parts[0], set())
            name = osp.splitext(parts[1])[0]
            repeated += name in names
            names.add(name)
    if not subset:
        raise ValueError(f'{path} lists no images')
    if repeated:
        warnings.warn(f'{path}: {repeated} image(s) listed more than once '
                      'are evaluated once')
    return subset


def restrict_gt(gt: GroundTruth, subset: Subset,
                source: str = 'subset') -> GroundTruth:
    """The ground truth of the subset's images only (keep lists intact);
    an image the ground truth does not have is an error."""
    unknown = [f'{e}/{n}' for e, names in subset.items()
               for n in sorted(names) if n not in gt.get(e, {})]
    if unknown:
        more = f' (+{len(unknown) - 5} more)' if len(unknown) > 5 else ''
        raise ValueError(f'{source}: {len(unknown)} image(s) are not in the '
                         'WIDER FACE ground truth: ' +
                         ', '.join(unknown[:5]) + more)
    return {e: {n: gt[e][n] for n in sorted(names)}
            for e, names in subset.items()}


def drop_outside(preds: Predictions, subset: Subset) -> Predictions:
    """Predictions of the subset's images; the others are ignored with a
    warning (they would otherwise enter the score normalisation)."""
    kept = {e: {n: d for n, d in images.items() if n in subset.get(e, ())}
            for e, images in preds.items()}
    outside = sum(len(v) for v in preds.values()) - sum(
        len(v) for v in kept.values())
    if outside:
        warnings.warn(f'{outside} predicted image(s) are outside the subset '
                      'and are ignored')
    return {e: images for e, images in kept.items() if images}


def write_widerface_preds(out_dir: str, preds: Predictions) -> None:
    """Write ``out_dir/<event>/<image>.txt`` in the layout read above."""
    for event, images in preds.items():
        os.makedirs(osp.join(out_dir, event), exist_ok=True)
        for name, dets in images.items():
            dets = np.asarray(dets, np.float64).reshape(-1, 5)
            lines = [name, str(len(dets))]
            # 9 significant digits keep float32 scores exact.
            lines += ['%.3f %.3f %.3f %.3f %.9g' % tuple(d) for d in dets]
            with open(osp.join(out_dir, event, name + '.txt'), 'w') as f:
                f.write('\n'.join(lines) + '\n')


# ---------------------------------------------------------------- protocol
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


def _evaluate(pairs, settings, iou_thr, thresh_num):
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


# ------------------------------------------------------------- entry points
def evaluate_widerface(preds: Predictions,
                       gt: GroundTruth,
                       iou_thr: float = 0.5,
                       thresh_num: int = THRESH_NUM,
                       settings: Sequence[str] = WIDER_SETTINGS,
                       subset: Optional[Subset] = None
                       ) -> Dict[str, PRCurve]:
    """Easy / medium / hard AP of ``preds`` against the official ``gt``.

    Ground-truth images without predictions count as no detections (with a
    warning); predicted images unknown to the ground truth only enter the
    score normalisation, as in the official code. With ``subset`` (see
    :func:`read_subset`) the protocol runs on those images alone: the other
    images' ground truth is dropped and their predictions are ignored, which
    equals the official evaluation on the restricted ground truth.
    """
    if subset is not None:
        gt = restrict_gt(gt, subset)
        preds = drop_outside(preds, subset)
    pairs, unknown = [], 0
    for event, images in preds.items():
        gt_images = gt.get(event, {})
        for name, dets in images.items():
            pairs.append((dets, gt_images.get(name)))
            unknown += name not in gt_images
    if pairs and unknown == len(pairs):
        raise ValueError(
            f'none of the {len(pairs)} predicted images is in the WIDER FACE '
            'ground truth (expected <event>/<image> names of the val set)')
    if unknown:
        warnings.warn(f'{unknown} predicted image(s) are not in the ground '
                      'truth and are not evaluated')
    missing = 0
    for event, images in gt.items():
        for name, faces in images.items():
            if name not in preds.get(event, {}):
                pairs.append((np.zeros((0, 5)), faces))
                missing += 1
    if missing:
        warnings.warn(f'{missing} ground-truth image(s) have no predictions '
                      'and count as no detections')
    return _evaluate(pairs, settings, iou_thr, thresh_num)


def evaluate_widerface_dir(pred_dir: str,
                           gt_dir: str,
                           iou_thr: float = 0.5,
                           thresh_num: int = THRESH_NUM,
                           progress=None,
                           subset_file: Optional[str] = None
                           ) -> Dict[str, PRCurve]:
    """Evaluate a predictions folder against the ``.mat`` files of gt_dir,
    on the images of ``subset_file`` only when given."""
    gt = load_widerface_gt(gt_dir)
    subset = None
    if subset_file is not None:
        subset = read_subset(subset_file)
        gt = restrict_gt(gt, subset, source=subset_file)
    preds = read_widerface_preds(pred_dir, progress, required_events=gt)
    return evaluate_widerface(preds, gt, iou_thr, thresh_num, subset=subset)


def evaluate_face_ap(dets: Sequence[np.ndarray],
                     gt_boxes: Sequence[np.ndarray],
                     gt_ignore: Optional[Sequence[np.ndarray]] = None,
                     iou_thr: float = 0.5,
                     thresh_num: int = THRESH_NUM) -> PRCurve:
    """The same protocol on any in-memory data set, one "all" setting.

    Args:
        dets: per image an (N, 5) array of x y w h score, best first.
        gt_boxes: per image an (M, 4) array of x y w h faces.
        gt_ignore: per image an (M,) bool array, True for faces that are
            ignored (not misses; detections on them are not false positives).
    """
    if len(dets) != len(gt_boxes) or (gt_ignore is not None
                                      and len(gt_ignore) != len(gt_boxes)):
        raise ValueError('dets, gt_boxes and gt_ignore need one entry per '
                         'image')
    pairs = []
    for k, (d, g) in enumerate(zip(dets, gt_boxes)):
        g = np.asarray(g, np.float64).reshape(-1, 4)
        ignore = (np.zeros(len(g), bool) if gt_ignore is None else
                  np.asarray(gt_ignore[k], bool).reshape(-1))
        pairs.append((np.asarray(d, np.float64).reshape(-1, 5),
                      GTImage(g, {'all': ~ignore})))
    return _evaluate(pairs, ('all', ), iou_thr, thresh_num)['all']
