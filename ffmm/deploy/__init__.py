"""Deployment helpers: ONNX export without mmdeploy, running and
evaluating an export in onnxruntime, int8 quantisation.

Importing this package imports neither ``onnx`` nor ``onnxruntime``; only
exporting, running or quantising does.
"""
from .onnx_detector_model import ONNXFaceDetectorModel
from .onnx_face_detector import ONNXFaceDetector, image_to_input, ort_session
from .onnx_wrapper import (INPUT_CONVENTION, FaceDetectorONNXWrapper,
                           UnsupportedModelError, check_exportable,
                           export_onnx, folded_parameter_count,
                           onnx_parameter_count)

__all__ = [
    'FaceDetectorONNXWrapper', 'UnsupportedModelError', 'check_exportable',
    'export_onnx', 'folded_parameter_count', 'onnx_parameter_count',
    'INPUT_CONVENTION', 'ONNXFaceDetector', 'ONNXFaceDetectorModel',
    'image_to_input', 'ort_session'
]
