"""Single-stage face detector whose samples carry 5-point landmarks."""
from mmdet.models.detectors import SingleStageDetector
from mmdet.registry import MODELS


@MODELS.register_module()
class FaceDetector(SingleStageDetector):
    """Backbone -> neck -> landmark-aware dense head.

    Training targets come from ``gt_instances.keypoints`` (N x K x 2) and
    ``gt_instances.keypoints_visible`` (N x K); predictions add
    ``pred_instances.keypoints`` in original image coordinates, so they
    flow through mmdet's data samples, TTA wrapper and visualizer.
    """
