"""Static int8 quantisation of an ffmm ONNX export with onnxruntime.

QDQ format (QuantizeLinear / DequantizeLinear pairs that onnxruntime fuses
into integer kernels), int8 weights per output channel, uint8 activations
(the fast u8s8 path of x86 CPUs), ranges calibrated on real images at
their original scale (central 640x640 windows). By default only
convolutions are quantised: the element-wise attention and fusion ops and
the box decoding stay in float32, where 8 bits would cost accuracy and save
little time.
"""
import os
import tempfile

import numpy as np

from .onnx_face_detector import ONNXFaceDetector, image_to_input


CALIB_SIZE = (640, 640)


def center_window(image, size, fill):
    """The central ``size`` (H, W) window of an HxWx3 image at its original
    scale, padded with ``fill`` where the image is smaller."""
    h, w = size
    out = np.empty((h, w, 3), image.dtype)
    out[...] = fill
    ih, iw = image.shape[:2]
    y, x = max((ih - h) // 2, 0), max((iw - w) // 2, 0)
    crop = image[y:y + h, x:x + w]
    oy, ox = (h - crop.shape[0]) // 2, (w - crop.shape[1]) // 2
    out[oy:oy + crop.shape[0], ox:ox + crop.shape[1]] = crop
    return out


class ImageCalibrationReader:
    """onnxruntime ``CalibrationDataReader`` over image files, each fed as
    the export expects it (raw BGR): the central ``size`` window at the
    original scale, the same shape for every image as the histogram
    calibrators need (a static export takes its own size)."""

    def __init__(self, detector, image_paths, size=CALIB_SIZE):
        self.detector = detector
        self.paths = list(image_paths)
        self.size = size
        self._next = 0

    def get_next(self):
        import cv2
        if self._next >= len(self.paths):
            return None
        path = self.paths[self._next]
        self._next += 1
        image = cv2.imread(path)
        if image is None:
            raise FileNotFoundError(
                f'calibration image {path} is missing or unreadable')
        fill = self.detector.mean.reshape(3).astype(np.uint8)
        window = center_window(image, self.size, fill)
        return {self.detector.input_name: image_to_input(window)}

    def rewind(self):
        self._next = 0


CALIBRATION_METHODS = ('minmax', 'percentile', 'entropy')


def quantize_int8(onnx_in, onnx_out, image_paths, op_types=('Conv', ),
                  per_channel=True, calibration='minmax', exclude=(),
                  percentile=99.999, grouped_float=False):
    """Write the int8 (QDQ) version of ``onnx_in`` to ``onnx_out``,
    calibrated on ``image_paths``. Refuses to overwrite its input.

    Args:
        calibration (str): ``'minmax'``, ``'percentile'`` or
            ``'entropy'`` activation ranges.
        percentile (float): with ``'percentile'``, the percentile of the
            absolute activations kept in range.
        grouped_float (bool): keep depthwise and grouped convolutions in
            float32 (little of the compute, much of the int8 error of
            MobileNet-like networks).
        exclude (Sequence[str]): nodes whose name contains one of these
            stay in float32 (e.g. ``'/bbox_head/'``).
    """
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process
    if os.path.abspath(onnx_in) == os.path.abspath(onnx_out):
        raise ValueError(f'the int8 model would overwrite {onnx_in}: give '
                         'another output file')
    if not image_paths:
        raise ValueError('quantisation needs calibration images')
    if calibration not in CALIBRATION_METHODS:
        raise ValueError(f'calibration must be one of {CALIBRATION_METHODS}'
                         f', got {calibration!r}')
    method = dict(minmax=CalibrationMethod.MinMax,
                  percentile=CalibrationMethod.Percentile,
                  entropy=CalibrationMethod.Entropy)[calibration]
    detector = ONNXFaceDetector(onnx_in)
    dims = detector.session.get_inputs()[0].shape[-2:]
    size = tuple(dims) if all(isinstance(d, int) for d in dims) \
        else CALIB_SIZE
    with tempfile.TemporaryDirectory() as tmp:
        prepared = os.path.join(tmp, 'prepared.onnx')
        # shape inference and graph cleanup recommended before quantising
        quant_pre_process(onnx_in, prepared, skip_symbolic_shape=True)
        import onnx
        excluded = [n.name for n in onnx.load(prepared).graph.node
                    if any(pattern in n.name for pattern in exclude)
                    or grouped_float and _is_grouped_conv(n)]
        quantize_static(
            prepared, onnx_out,
            ImageCalibrationReader(detector, image_paths, size),
            quant_format=QuantFormat.QDQ,
            op_types_to_quantize=list(op_types),
            per_channel=per_channel,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            nodes_to_exclude=excluded,
            calibrate_method=method,
            extra_options=dict(CalibPercentile=percentile))
    recipe = [f'ops {",".join(op_types)}' +
              (' (grouped in float)' if grouped_float else ''),
              f'{calibration}' +
              (f' {percentile}' if calibration == 'percentile' else '') +
              f' on {len(image_paths)} images']
    if exclude:
        recipe.append(f'float: {",".join(exclude)}')
    _copy_metadata(onnx_in, onnx_out, ', '.join(recipe))
    return onnx_out


def _is_grouped_conv(node):
    return node.op_type == 'Conv' and any(
        a.name == 'group' and a.i > 1 for a in node.attribute)


def _copy_metadata(onnx_in, onnx_out, recipe):
    """Keep the export's conventions (mean, dynamic, ...) in the int8 file,
    which ``ONNXFaceDetector`` reads."""
    import onnx
    src, dst = onnx.load(onnx_in), onnx.load(onnx_out)
    props = {p.key: p.value for p in src.metadata_props}
    props.update(quantization=f'int8 QDQ, {recipe}')
    del dst.metadata_props[:]
    for key, value in props.items():
        dst.metadata_props.add(key=key, value=value)
    dst.doc_string = src.doc_string
    onnx.save(dst, onnx_out)


def sample_images(list_file, image_root, num, seed=0):
    """``num`` image paths drawn (seeded) from a split file of
    ``event/name.jpg`` lines."""
    with open(list_file) as f:
        names = [line.strip() for line in f if line.strip()]
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(names), size=min(num, len(names)), replace=False)
    return [os.path.join(image_root, names[i]) for i in sorted(picked)]
