from .widerface_ap import (GT_FILES, THRESH_NUM, WIDER_SETTINGS, GTImage,
                           PRCurve, bbox_overlaps, drop_outside,
                           evaluate_face_ap, evaluate_widerface,
                           evaluate_widerface_dir, image_eval,
                           load_widerface_gt, normalize_scores,
                           read_pred_file, read_subset, read_widerface_preds,
                           restrict_gt, score_thresholds, voc_ap,
                           write_widerface_preds)

__all__ = [
    'GT_FILES', 'THRESH_NUM', 'WIDER_SETTINGS', 'GTImage', 'PRCurve',
    'bbox_overlaps', 'drop_outside', 'evaluate_face_ap', 'evaluate_widerface',
    'evaluate_widerface_dir', 'image_eval', 'load_widerface_gt',
    'normalize_scores', 'read_pred_file', 'read_subset',
    'read_widerface_preds', 'restrict_gt', 'score_thresholds', 'voc_ap',
    'write_widerface_preds'
]
