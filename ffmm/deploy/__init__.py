"""Deployment helpers (ONNX export without mmdeploy).

Importing this package does not import ``onnx``; only exporting does.
"""
from .onnx_wrapper import (INPUT_CONVENTION, FaceDetectorONNXWrapper,
                           UnsupportedModelError, check_exportable,
                           export_onnx, folded_parameter_count,
                           onnx_parameter_count)

__all__ = [
    'FaceDetectorONNXWrapper', 'UnsupportedModelError', 'check_exportable',
    'export_onnx', 'folded_parameter_count', 'onnx_parameter_count',
    'INPUT_CONVENTION'
]
