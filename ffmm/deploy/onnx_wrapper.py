"""Export an ffmm face detector to ONNX: decoded boxes, scores, landmarks.

The exported graph takes a raw image and returns every anchor's decoded
prediction; score filtering and NMS are left to the application.
"""
import inspect
import math
import warnings

import torch
import torch.nn as nn

from ..models.dense_heads import face_head_of

INPUT_CONVENTION = (
    'input "image": float32 N x 3 x H x W, BGR channel order (as read by '
    'cv2.imread), pixel values 0..255, not normalised: the graph subtracts '
    'the mean (and divides by the std) of the model\'s data preprocessor '
    'itself. H and W are fixed unless exported with --dynamic; a dynamic '
    'FeatherFace graph takes sides that are multiples of 32 (pad with the '
    'mean colour), a RetinaFace graph any size.')
OUTPUT_CONVENTION = (
    'outputs, one row per anchor, before score filtering and NMS: '
    '"boxes" N x A x 4 (x1, y1, x2, y2 in input pixels), "scores" N x A '
    '(face probability), "landmarks" N x A x 5 x 2 (x, y in input pixels: '
    'left eye, right eye, nose, left and right mouth corners).')


class UnsupportedModelError(RuntimeError):
    """The model holds layers that have no standard ONNX operator."""


def _unsupported_layers(model):
    try:
        from mmcv.ops import DeformConv2d, ModulatedDeformConv2d
    except ImportError:  # mmcv without compiled ops: nothing to find
        return []
    kinds = (ModulatedDeformConv2d, DeformConv2d)
    return [(name, type(m).__name__) for name, m in model.named_modules()
            if isinstance(m, kinds)]


def check_exportable(model):
    """Raise ``UnsupportedModelError`` naming the mmcv deformable convs
    (DCN / DCNv2, e.g. FeatherFace V1's SSH) of ``model``."""
    found = _unsupported_layers(model)
    if found:
        names = ', '.join(f'{n} ({t})' for n, t in found[:4])
        more = f' and {len(found) - 4} more' if len(found) > 4 else ''
        raise UnsupportedModelError(
            f'cannot export to ONNX: the model uses mmcv deformable '
            f'convolutions (ModulatedDeformConv2d / DeformConv2d), which '
            f'have no standard ONNX operator: {names}{more}. Export a model '
            'without them (RetinaFace, FeatherFace V2) or use an mmcv '
            'custom-op build of onnxruntime with mmdeploy.')


def _detector_parts(detector):
    """(network with extract_feat and a face head, data preprocessor)."""
    try:
        head = face_head_of(detector, 'ONNX export')
    except TypeError as err:
        raise UnsupportedModelError(
            f'{err}: ONNX export supports single-stage ffmm face '
            'detectors') from None
    net = getattr(detector, 'student', None)
    net = detector if net is None else net
    pre = getattr(net, 'data_preprocessor', None) or getattr(
        detector, 'data_preprocessor', None)
    return net, head, pre


class FaceDetectorONNXWrapper(nn.Module):
    """Raw BGR image -> decoded (boxes, scores, landmarks) of all anchors.

    Normalisation (mean, std, channel order) is read from the detector's
    data preprocessor; the rest is the face-head protocol
    (``FaceHeadMixin.predict_dense``): its anchors are generated from the
    feature map shapes inside the graph, so a graph exported with dynamic
    axes works at any size. Scores are the face probability (sigmoid, or
    softmax without the background column).
    """

    def __init__(self, detector):
        super().__init__()
        self.net, self.head, pre = _detector_parts(detector)
        normalize = getattr(pre, '_enable_normalize', False)
        mean = pre.mean.flatten() if normalize else torch.zeros(3)
        std = pre.std.flatten() if normalize else torch.ones(3)
        self.register_buffer('mean', mean.float().view(1, -1, 1, 1).clone())
        self.register_buffer('std', std.float().view(1, -1, 1, 1).clone())
        self.swap_rb = bool(getattr(pre, '_channel_conversion', False))
        # inputs are padded to multiples of this: the PyTorch model's test
        # padding, or what its layers need of a traced graph (BiFPN: 32)
        self.size_divisor = max(
            [int(getattr(pre, 'pad_size_divisor', 1) or 1)] +
            [m.export_size_divisor for m in self.net.modules()
             if hasattr(m, 'export_size_divisor')])

    def constants(self):
        """Tensors the graph stores that are not parameters: normalisation
        and the head's base anchors."""
        yield self.mean
        yield self.std
        yield from self.head.prior_generator.base_anchors

    @property
    def normalization(self):
        return dict(mean=self.mean.flatten().tolist(),
                    std=self.std.flatten().tolist(),
                    bgr_to_rgb=self.swap_rb,
                    pad_size_divisor=self.size_divisor)

    def forward(self, image):
        x = image[:, [2, 1, 0]] if self.swap_rb else image
        x = (x - self.mean) / self.std
        boxes, scores, points = self.head.predict_dense(
            *self.head(self.net.extract_feat(x)))
        return boxes, scores[..., 0], points


def folded_parameter_count(model, example):
    """Parameters of ``model`` once each BatchNorm that directly follows a
    convolution is folded into it (as the ONNX exporter does in eval mode):
    the BN's weight and bias (2C) disappear and a bias-free conv gains a
    bias (C). ``example`` is an input for one forward pass (pairs are found
    by following the tensors, so any wiring works)."""
    conv_outputs = {}
    keep = []  # hold outputs so their ids stay unique during the pass
    folded = []

    def on_conv(module, inputs, output):
        keep.append(output)
        conv_outputs[id(output)] = module

    def on_bn(module, inputs, output):
        conv = conv_outputs.get(id(inputs[0]))
        if conv is not None:
            folded.append((conv, module))

    handles = []
    for m in model.modules():
        if isinstance(m, nn.modules.conv._ConvNd):
            handles.append(m.register_forward_hook(on_conv))
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            handles.append(m.register_forward_hook(on_bn))
    try:
        with torch.no_grad():
            model(example)
    finally:
        for h in handles:
            h.remove()
    count = sum(p.numel() for p in model.parameters())
    for conv, bn in {(id(c), id(b)): (c, b) for c, b in folded}.values():
        count -= sum(p.numel() for p in bn.parameters())
        if conv.bias is None:
            count += conv.out_channels
    return count


def onnx_parameter_count(onnx_model, exclude=()):
    """Elements of the floating-point initializers of an ``onnx.ModelProto``
    (each stored tensor once, so weights shared between layers count once,
    as in ``torch``), leaving out those equal to an array of ``exclude``:
    the wrapper's constants (mean, std, base anchors), which are buffers,
    not parameters. Integer initializers (shapes, indices) never count.

    Note: the exporter also merges initializers with identical contents
    (e.g. the all-zero biases of folded untrained BatchNorms, or fusion
    weights all initialised to one); a freshly initialised model therefore
    counts fewer parameters than it has; a trained (or randomised) one does
    not.
    """
    from onnx import TensorProto, numpy_helper

    floats = (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE,
              TensorProto.BFLOAT16)
    exclude = [torch.as_tensor(e).detach().double().flatten() for e in exclude]

    def excluded(init):
        if not exclude:
            return False
        value = torch.from_numpy(
            numpy_helper.to_array(init).astype('float64')).flatten()
        return any(e.numel() == value.numel() and torch.equal(e, value)
                   for e in exclude)

    return sum(
        math.prod(init.dims) for init in onnx_model.graph.initializer
        if init.data_type in floats and not excluded(init))


def trace_to_onnx(module, example, out_file, input_names, output_names,
                  opset_version, dynamic_axes=None):
    """``torch.onnx.export`` of an eval-mode module with the TorchScript
    exporter (the one that honours ``dynamic_axes``), constants folded."""
    kwargs = dict(input_names=input_names,
                  output_names=output_names,
                  opset_version=opset_version,
                  dynamic_axes=dynamic_axes,
                  do_constant_folding=True,
                  training=torch.onnx.TrainingMode.EVAL)
    if 'dynamo' in inspect.signature(torch.onnx.export).parameters:
        kwargs['dynamo'] = False
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter('ignore')
        torch.onnx.export(module, (example, ), str(out_file), **kwargs)


def export_onnx(detector,
                out_file,
                shape=(640, 640),
                batch_size=1,
                dynamic=False,
                opset_version=17,
                metadata=None):
    """Export ``detector`` (eval mode) to ``out_file``.

    Args:
        shape (tuple[int]): (H, W) of the example input.
        dynamic (bool): make N, H and W dynamic (and the anchor count A).
        metadata (dict, optional): extra ``metadata_props``.

    Returns:
        dict: ``torch_params``, ``folded_params`` (BN folded),
        ``onnx_params`` and the normalisation in the graph.
    """
    import onnx

    check_exportable(detector)
    detector = detector.eval()
    wrapper = FaceDetectorONNXWrapper(detector).eval()
    h, w = shape
    example = torch.rand(batch_size, 3, h, w) * 255
    dynamic_axes = None
    if dynamic:
        dynamic_axes = dict(image={
            0: 'batch',
            2: 'height',
            3: 'width'
        },
                            boxes={
                                0: 'batch',
                                1: 'anchors'
                            },
                            scores={
                                0: 'batch',
                                1: 'anchors'
                            },
                            landmarks={
                                0: 'batch',
                                1: 'anchors'
                            })
    trace_to_onnx(wrapper, example, out_file, ['image'],
                  ['boxes', 'scores', 'landmarks'], opset_version,
                  dynamic_axes)

    model = onnx.load(out_file)
    info = dict(torch_params=sum(p.numel() for p in wrapper.parameters()),
                folded_params=folded_parameter_count(wrapper, example),
                onnx_params=onnx_parameter_count(model,
                                                 exclude=list(
                                                     wrapper.constants())),
                **wrapper.normalization)
    model.doc_string = f'{INPUT_CONVENTION} {OUTPUT_CONVENTION}'
    model.graph.input[0].doc_string = INPUT_CONVENTION
    props = dict(input_format='BGR float32 NCHW, 0..255, not normalised',
                 input_convention=INPUT_CONVENTION,
                 output_convention=OUTPUT_CONVENTION,
                 mean=str(info['mean']),
                 std=str(info['std']),
                 bgr_to_rgb=str(info['bgr_to_rgb']),
                 pad_size_divisor=str(info['pad_size_divisor']),
                 dynamic=str(bool(dynamic)),
                 torch_parameters=str(info['torch_params']),
                 parameters_bn_folded=str(info['folded_params']),
                 **{
                     k: str(v)
                     for k, v in (metadata or {}).items()
                 })
    del model.metadata_props[:]
    for key, value in props.items():
        model.metadata_props.add(key=key, value=value)
    onnx.checker.check_model(model)
    onnx.save(model, out_file)
    return info
