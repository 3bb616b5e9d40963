from .landmark_gap import landmark_gaps, top_face_landmarks
from .latency import make_torch_runner, time_runs, timed
from .model_summary import (build_from_config, count_parameters,
                            deform_conv_flops, param_table, summarize)
from .onnx_profile import onnx_op_profile
from .size_recall import SizeRecall, match_faces
from .wider_eval import (deployable_config, evaluate_on_split,
                         evaluate_onnx_on_split, use_flip_tta)

__all__ = [
    'build_from_config', 'count_parameters', 'deform_conv_flops',
    'param_table', 'summarize', 'make_torch_runner', 'time_runs', 'timed',
    'deployable_config', 'evaluate_on_split', 'evaluate_onnx_on_split',
    'use_flip_tta',
    'onnx_op_profile', 'landmark_gaps', 'top_face_landmarks', 'SizeRecall',
    'match_faces'
]
