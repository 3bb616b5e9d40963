"""WIDER FACE average precision with the official evaluation protocol.

The entry points: a predictions folder or in-memory predictions against the
official ground truth (optionally on a split of it), and the same protocol
on any in-memory data set. The pieces live beside this file:
``widerface_io`` (ground truth and prediction files), ``widerface_subset``
(splits of val) and ``ap_protocol`` (matching, PR curve, AP; its docstring
states the protocol); their public names are importable from here too.

Everything only needs numpy and scipy so that ``tools/eval_widerface.py``
can load this folder by path without importing torch or mmdet: modules
here import each other relatively and nothing outside the folder.
"""
import warnings
from typing import Dict, Optional, Sequence

import numpy as np

from .ap_protocol import (THRESH_NUM, PRCurve, bbox_overlaps,
                          classify_matches, evaluate_pairs, image_eval,
                          match_image, normalize_scores, pr_counts,
                          score_thresholds, suffix_max, voc_ap)
from .widerface_io import (GT_FILES, WIDER_SETTINGS, GroundTruth, GTImage,
                           Predictions, load_widerface_gt, read_pred_file,
                           read_widerface_preds, write_widerface_preds)
from .widerface_subset import Subset, drop_outside, read_subset, restrict_gt

__all__ = [
    'GT_FILES', 'THRESH_NUM', 'WIDER_SETTINGS', 'GTImage', 'GroundTruth',
    'PRCurve', 'Predictions', 'Subset', 'bbox_overlaps', 'classify_matches',
    'drop_outside', 'evaluate_face_ap', 'evaluate_widerface',
    'evaluate_widerface_dir', 'image_eval', 'load_widerface_gt',
    'match_image', 'normalize_scores', 'pr_counts', 'read_pred_file',
    'read_subset', 'read_widerface_preds', 'restrict_gt',
    'score_thresholds', 'suffix_max', 'voc_ap', 'write_widerface_preds'
]


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
    return evaluate_pairs(pairs, settings, iou_thr, thresh_num)


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
    return evaluate_pairs(pairs, ('all', ), iou_thr, thresh_num)['all']
