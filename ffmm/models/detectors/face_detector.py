"""Single-stage face detector whose samples carry 5-point landmarks."""
from mmdet.models.detectors import SingleStageDetector
from mmdet.registry import MODELS

from ..dense_heads.face_head_mixin import face_head_of


@MODELS.register_module()
class FaceDetector(SingleStageDetector):
    """Backbone -> neck -> landmark-aware dense head.

    The head must follow the face-head protocol (``FaceHeadMixin``, e.g.
    ``FaceAnchorHead``, ``SmartFaceHead``): distillation, TTA and ONNX
    export rely on it. Training targets come from
    ``gt_instances.keypoints`` (N x K x 2) and
    ``gt_instances.keypoints_visible`` (N x K); predictions add
    ``pred_instances.keypoints`` in original image coordinates, so they
    flow through mmdet's data samples, TTA wrapper and visualizer.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        face_head_of(self, 'FaceDetector')  # fail at build, not at export
