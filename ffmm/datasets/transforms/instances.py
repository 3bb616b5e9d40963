"""Keeping the per-face entries of a pipeline results dict in sync."""
import numpy as np

# Every per-instance key the face transforms maintain (``gt_keypoints`` is a
# ``FaceKeypoints``: landmarks and their visibility are indexed together).
INSTANCE_KEYS = ('gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags',
                 'gt_keypoints')


def select_instances(results, keep):
    """Index every per-face entry of ``results`` with ``keep`` in place."""
    keep = np.asarray(keep)
    for key in INSTANCE_KEYS:
        if key in results and results[key] is not None:
            results[key] = results[key][keep]
    return results
