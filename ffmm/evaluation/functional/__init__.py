from .widerface_ap import (GT_FILES, THRESH_NUM, WIDER_SETTINGS, GTImage,
                           PRCurve, bbox_overlaps, evaluate_face_ap,
                           evaluate_widerface, evaluate_widerface_dir,
                           image_eval, load_widerface_gt, normalize_scores,
                           read_pred_file, read_widerface_preds,
                           score_thresholds, voc_ap, write_widerface_preds)

__all__ = [
    'GT_FILES', 'THRESH_NUM', 'WIDER_SETTINGS', 'GTImage', 'PRCurve',
    'bbox_overlaps', 'evaluate_face_ap', 'evaluate_widerface',
    'evaluate_widerface_dir', 'image_eval', 'load_widerface_gt',
    'normalize_scores', 'read_pred_file', 'read_widerface_preds',
    'score_thresholds', 'voc_ap', 'write_widerface_preds'
]
