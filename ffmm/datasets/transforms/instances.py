"""Keeping per-face arrays of a pipeline results dict in sync."""
import numpy as np

# Every per-instance key the face transforms maintain.
INSTANCE_KEYS = ('gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags',
                 'gt_keypoints', 'gt_keypoints_visible')


def select_instances(results, keep):
    """Index every per-face array of ``results`` with ``keep`` in place."""
    keep = np.asarray(keep)
    for key in INSTANCE_KEYS:
        if key in results and results[key] is not None:
            results[key] = results[key][keep]
    return results


def shift_keypoints(results, dx, dy):
    if 'gt_keypoints' in results:
        results['gt_keypoints'] = results['gt_keypoints'] + np.array(
            [dx, dy], np.float32)
