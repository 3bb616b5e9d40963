"""YuNet-n network architecture with random weights, for latency only.

An independent re-implementation of the layers of YuNet-n (config
``yunet_n`` of libfacedetection.train, Apache-2.0), written so that its
CPU latency can be compared with ours when the official ONNX file is not
at hand. Latency depends on the operators, shapes and channel counts, not
on the weights, so the weights here are random: the network's detections
are meaningless. Its parameter count, 75,856 (BatchNorm affine parameters
included, like the official count), is checked by a test.

The export matches the official one (``tools/yunet2onnx.py``, opset 11):
input "input" 1 x 3 x H x W raw BGR 0..255 (no normalisation); twelve
outputs ``cls_8 .. kps_32`` of shape 1 x (H/s * W/s) x C, sigmoid applied
to cls and obj, bbox (4) and kps (10) raw; BatchNorm folded into the
convolutions by the exporter (eval mode). H and W must be multiples of 32.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .onnx_wrapper import trace_to_onnx

STRIDES = (8, 16, 32)
YUNET_N_PARAMS = 75856
# (name, channels, sigmoid) in the official output order
HEAD_OUTPUTS = (('cls', 1, True), ('obj', 1, True), ('bbox', 4, False),
                ('kps', 10, False))
OUTPUT_NAMES = tuple(f'{name}_{s}' for name, _, _ in HEAD_OUTPUTS
                     for s in STRIDES)
# stages after which the backbone halves the resolution with a 2x2 max pool
POOL_AFTER = (0, 2, 3, 4)
# the last three stages feed the neck (strides 8, 16, 32)
FEATURE_STAGES = (3, 4, 5)


class PointDepthUnit(nn.Module):
    """1x1 conv, then 3x3 depthwise conv (both with bias), optionally
    followed by BatchNorm and ReLU (prediction layers have neither)."""

    def __init__(self, in_channels, out_channels, norm_act=True):
        super().__init__()
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1)
        self.depthwise = nn.Conv2d(out_channels, out_channels, 3,
                                   padding=1, groups=out_channels)
        self.post = (nn.Sequential(nn.BatchNorm2d(out_channels),
                                   nn.ReLU(inplace=True))
                     if norm_act else nn.Identity())

    def forward(self, x):
        return self.post(self.depthwise(self.pointwise(x)))


def _stem(in_channels=3, mid_channels=16, out_channels=16):
    """Stride-2 full 3x3 conv + BN + ReLU, then one point/depth unit."""
    return nn.Sequential(
        nn.Conv2d(in_channels, mid_channels, 3, stride=2, padding=1),
        nn.BatchNorm2d(mid_channels), nn.ReLU(inplace=True),
        PointDepthUnit(mid_channels, out_channels))


def _stage(in_channels, out_channels):
    return nn.Sequential(PointDepthUnit(in_channels, in_channels),
                         PointDepthUnit(in_channels, out_channels))


class YuNetNArchitecture(nn.Module):
    """YuNet-n: 6-stage depthwise backbone, top-down FPN (nearest 2x
    upsampling, sum), a shared unit per level, then one unit per output."""

    def __init__(self, width=64):
        super().__init__()
        self.stages = nn.ModuleList([_stem(), _stage(16, width)] +
                                    [_stage(width, width) for _ in range(4)])
        self.lateral = nn.ModuleList(
            PointDepthUnit(width, width) for _ in STRIDES)
        self.shared = nn.ModuleList(
            PointDepthUnit(width, width) for _ in STRIDES)
        self.preds = nn.ModuleList(
            nn.ModuleList(PointDepthUnit(width, c, norm_act=False)
                          for _, c, _ in HEAD_OUTPUTS) for _ in STRIDES)

    def forward(self, img):
        feats, x = [], img
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i in FEATURE_STAGES:
                feats.append(x)
            if i in POOL_AFTER:
                x = F.max_pool2d(x, 2)
        # top-down: a level is refined after the coarser one is added in
        for i in range(len(feats) - 1, 0, -1):
            feats[i] = self.lateral[i](feats[i])
            feats[i - 1] = feats[i - 1] + F.interpolate(
                feats[i], scale_factor=2., mode='nearest')
        feats[0] = self.lateral[0](feats[0])

        outs = [[] for _ in HEAD_OUTPUTS]
        for feat, shared, preds in zip(feats, self.shared, self.preds):
            feat = shared(feat)
            for k, ((_, c, sigmoid), pred) in enumerate(
                    zip(HEAD_OUTPUTS, preds)):
                y = pred(feat).permute(0, 2, 3, 1)
                y = y.reshape(y.shape[0], -1, c)
                outs[k].append(y.sigmoid() if sigmoid else y)
        return tuple(y for kind in outs for y in kind)


@torch.no_grad()
def _calibrate_batchnorm(model, height, width):
    """Set BN statistics to those of one random image: activations then
    stay O(1) through the random layers, like a trained model's (huge or
    subnormal values would distort the timing and the parity checks)."""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average: one batch's statistics
    model.train()
    model(torch.rand(1, 3, height, width) * 255)
    for bn in bns:
        bn.momentum = 0.1
    return model.eval()


def build_yunet_n_architecture(seed=0, calib_size=(160, 160)):
    """YuNet-n with seeded random weights and calibrated BN, eval mode."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = YuNetNArchitecture()
        return _calibrate_batchnorm(model, *calib_size)


def export_yunet_n_architecture(path, height=640, width=640, dynamic=False,
                                seed=0, opset_version=11):
    """Export the random-weight YuNet-n to ONNX at ``path``, laid out like
    the official export; ``dynamic`` makes N, H and W dynamic. Returns the
    exported (PyTorch) model."""
    model = build_yunet_n_architecture(seed)
    gen = torch.Generator().manual_seed(seed)
    example = torch.rand(1, 3, height, width, generator=gen) * 255
    dynamic_axes = None
    if dynamic:
        dynamic_axes = dict(input={0: 'batch', 2: 'height', 3: 'width'})
        # one anchor-count name per stride: the levels differ in size
        dynamic_axes.update(
            (name, {0: 'batch', 1: 'anchors_' + name.split('_')[1]})
            for name in OUTPUT_NAMES)
    trace_to_onnx(model, example, path, ['input'], list(OUTPUT_NAMES),
                  opset_version, dynamic_axes)
    return model
