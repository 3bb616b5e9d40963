"""FeatherFace V1: layers, neck, sizes, converter and reference outputs.

The end-to-end checks compare ffmm's model (built from the configs) with
(a) the outputs the reference implementation produced for a stored input
(``../shared/reference``) and (b) a functional re-implementation of the
reference forward pass written below (plain PyTorch, own bilinear sampling
for the deformable convs), run on the reference state dict at other input
sizes and on random C = 52 weights.
"""
import json
import math
import os.path as osp
import re

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmcv.ops import modulated_deform_conv2d
from mmengine.config import Config
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from ffmm.analysis import count_parameters
from ffmm.models.backbones import MobileNetV1
from ffmm.models.layers import (BiFPN, BiFPNCell, ChannelShuffleBlock,
                                ScaledModulatedDeformConv2d, WeightedFusion)
from ffmm.models.layers.bifpn import max_pool_same
from ffmm.models.layers.channel_shuffle import channel_shuffle
from ffmm.models.necks import FeatherFaceNeck
from ffmm.models.plugins import CBAM, ChannelGate, SpatialGate
from ffmm.utils.convert import (CheckpointMismatchError, convert_featherface,
                                load_reference_state_dict)
from mmdet.registry import MODELS

from ..conftest import REPO, run_tool, shared_file

CONFIGS = {
    64: osp.join(REPO, 'configs/featherface/featherface_v1.py'),
    52: osp.join(REPO, 'configs/featherface/featherface_v1_c52.py'),
}
TOL = 1e-4


def build_model(width=64):
    cfg = Config.fromfile(CONFIGS[width])
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None
    return MODELS.build(cfg.model)



def ffmm_outputs(model, x):
    """(bbox N x A x 4, softmax [bg, face] N x A x 2, landmarks N x A x 10)
    in the reference order and class convention."""
    with torch.no_grad():
        cls, reg, ldm = model.bbox_head(model.extract_feat(x))
        cls, reg, ldm = model.bbox_head.flatten_preds(cls, reg, ldm)
    return reg, cls.softmax(-1).flip(-1), ldm


def max_diff(a, b):
    assert a.shape == b.shape, (a.shape, b.shape)
    return (a - b).abs().max().item()


# --------------------------------------------------------------------------
# Functional re-implementation of the reference FeatherFace V1 forward pass.
# --------------------------------------------------------------------------
def _bn(x, sd, p, eps=1e-5):
    return F.batch_norm(x, sd[p + 'running_mean'], sd[p + 'running_var'],
                        sd[p + 'weight'], sd[p + 'bias'], False, 0.0, eps)


def _ref_backbone(sd, x):
    """MobileNetV1-0.25: stem conv_bn then conv_dw blocks, leaky 0.1."""
    strides = {1: [2, 1, 2, 1, 2, 1], 2: [2, 1, 1, 1, 1, 1], 3: [2, 1]}
    outs = []
    for stage, stage_strides in strides.items():
        for i, s in enumerate(stage_strides):
            p = f'body.stage{stage}.{i}.'
            if p + '3.weight' not in sd:  # stem: 3x3 conv, BN, leaky
                x = F.conv2d(x, sd[p + '0.weight'], stride=s, padding=1)
                x = F.leaky_relu(_bn(x, sd, p + '1.'), 0.1)
                continue
            dw = sd[p + '0.weight']
            x = F.conv2d(x, dw, stride=s, padding=1, groups=dw.shape[0])
            x = F.leaky_relu(_bn(x, sd, p + '1.'), 0.1)
            x = F.conv2d(x, sd[p + '3.weight'])
            x = F.leaky_relu(_bn(x, sd, p + '4.'), 0.1)
        outs.append(x)
    return outs


def _ref_cbam(sd, p, x):
    h, w = x.shape[-2:]

    def mlp(v):
        v = F.relu(F.linear(v, sd[p + 'ChannelGate.mlp.1.weight'],
                            sd[p + 'ChannelGate.mlp.1.bias']))
        return F.linear(v, sd[p + 'ChannelGate.mlp.3.weight'],
                        sd[p + 'ChannelGate.mlp.3.bias'])

    att = mlp(F.avg_pool2d(x, (h, w)).flatten(1)) + \
        mlp(F.max_pool2d(x, (h, w)).flatten(1))
    x = x * torch.sigmoid(att)[:, :, None, None]
    pooled = torch.cat([x.max(1, keepdim=True)[0], x.mean(1, keepdim=True)],
                       1)
    s = F.conv2d(pooled, sd[p + 'SpatialGate.spatial.conv.weight'],
                 padding=3)
    return x * torch.sigmoid(_bn(s, sd, p + 'SpatialGate.spatial.bn.'))


def _ref_down(x):
    """3x3/2 max pool after TF-"same" zero padding."""
    pads = []
    for size in (x.shape[-1], x.shape[-2]):
        total = max((math.ceil(size / 2) - 1) * 2 + 3 - size, 0)
        pads += [total // 2, total - total // 2]
    return F.max_pool2d(F.pad(x, pads, value=0.0), 3, 2)


def _ref_bifpn_cell(sd, p, feats, first):

    def sep(name, x):
        dw = sd[p + name + '.depthwise_conv.conv.weight']
        x = F.conv2d(x, dw, padding=1, groups=dw.shape[0])
        x = F.conv2d(x, sd[p + name + '.pointwise_conv.conv.weight'],
                     sd[p + name + '.pointwise_conv.conv.bias'])
        return _bn(x, sd, p + name + '.bn.', eps=1e-3)

    def proj(name, x):
        x = F.conv2d(x, sd[p + name + '.0.conv.weight'],
                     sd[p + name + '.0.conv.bias'])
        return _bn(x, sd, p + name + '.1.', eps=1e-3)

    def weights(name):
        w = F.relu(sd[p + name])
        return w / (w.sum() + 1e-4)

    def swish(x):
        return x * torch.sigmoid(x)

    def up(x, ref):
        return F.interpolate(x, size=ref.shape[-2:], mode='nearest')

    if first:
        p3, p4, p5 = feats
        p3_in, p4_in, p5_in = (proj('p3_down_channel', p3),
                               proj('p4_down_channel', p4),
                               proj('p5_down_channel', p5))
    else:
        p3_in, p4_in, p5_in = feats
    w = weights('p4_w1')
    p4_td = sep('conv4_up', swish(w[0] * p4_in + w[1] * up(p5_in, p4_in)))
    w = weights('p3_w1')
    p3_out = sep('conv3_up', swish(w[0] * p3_in + w[1] * up(p4_td, p3_in)))
    if first:
        p4_in = proj('p4_down_channel_2', p4)
        p5_in = proj('p5_down_channel_2', p5)
    w = weights('p4_w2')
    p4_out = sep('conv4_down',
                 swish(w[0] * p4_in + w[1] * p4_td + w[2] * _ref_down(p3_out)))
    w = weights('p5_w2')  # 3 weights, 2 inputs (reference quirk)
    p5_out = sep('conv5_down', swish(w[0] * p5_in + w[1] * _ref_down(p4_out)))
    return p3_out, p4_out, p5_out


def _bilinear_zero(x, py, px):
    """Sample x (N, C, H, W) at float positions py/px (N, K, Ho, Wo); corners
    outside the map count as zero. Returns (N, C, K, Ho, Wo)."""
    n, c, h, w = x.shape
    y0, x0 = py.floor(), px.floor()
    flat = x.reshape(n, c, h * w)
    out = 0
    for yc, wy in ((y0, 1 - (py - y0)), (y0 + 1, py - y0)):
        for xc, wx in ((x0, 1 - (px - x0)), (x0 + 1, px - x0)):
            valid = (yc >= 0) & (yc <= h - 1) & (xc >= 0) & (xc <= w - 1)
            idx = (yc.clamp(0, h - 1) * w + xc.clamp(0, w - 1)).long()
            vals = flat.gather(2, idx.reshape(n, 1, -1).expand(n, c, -1))
            vals = vals.reshape(n, c, *idx.shape[1:])
            out = out + vals * (wy * wx * valid)[:, None]
    return out


def ref_deform_conv(x, offset, mask, weight, padding=1, stride=1, dilation=1):
    """Modulated deformable conv (groups = deform groups = 1); offsets per
    kernel location (row-major) as (dy, dx) pairs."""
    n, _, h, w = x.shape
    o, c, kh, kw = weight.shape
    ho = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    wo = (w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    ky, kx = torch.meshgrid(
        torch.arange(kh) * dilation, torch.arange(kw) * dilation,
        indexing='ij')
    oy, ox = torch.meshgrid(
        torch.arange(ho) * stride - padding,
        torch.arange(wo) * stride - padding, indexing='ij')
    base_y = (ky.reshape(-1, 1, 1) + oy).float()
    base_x = (kx.reshape(-1, 1, 1) + ox).float()
    py = base_y + offset[:, 0::2]
    px = base_x + offset[:, 1::2]
    cols = _bilinear_zero(x, py, px) * mask[:, None]
    return torch.einsum('nckhw,ock->nohw', cols,
                        weight.reshape(o, c, kh * kw))


def _ref_dcn(sd, p, x):
    offset = F.conv2d(x, sd[p + 'offset_conv.weight'],
                      sd[p + 'offset_conv.bias'], padding=1)
    mask = 2 * torch.sigmoid(
        F.conv2d(x, sd[p + 'modulator_conv.weight'],
                 sd[p + 'modulator_conv.bias'], padding=1))
    return ref_deform_conv(x, offset, mask, sd[p + 'regular_conv.weight'])


def _ref_ssh(sd, p, x, out_channels):
    slope = 0.1 if out_channels <= 64 else 0.0

    def branch(name, x, act):
        y = _bn(_ref_dcn(sd, p + name + '.0.', x), sd, p + name + '.1.')
        return F.leaky_relu(y, slope) if act else y

    b3 = branch('conv3X3', x, False)
    mid = branch('conv5X5_1', x, True)
    b5 = branch('conv5X5_2', mid, False)
    b7 = branch('conv7x7_3', branch('conv7X7_2', mid, True), False)
    return F.relu(torch.cat([b3, b5, b7], 1))


def _ref_shuffle_block(sd, p, x):
    x = torch.cat([x[:, 0::2], x[:, 1::2]], 1)  # groups = 2
    x = _bn(F.conv2d(x, sd[p + '1.weight']), sd, p + '2.')
    dw = sd[p + '3.weight']
    x = _bn(F.conv2d(x, dw, padding=1, groups=dw.shape[0]), sd, p + '4.')
    x = _bn(F.conv2d(x, sd[p + '5.weight']), sd, p + '6.')
    return F.relu(x)


def reference_forward(sd, x):
    """(bbox_deltas, softmax scores [bg, face], landmark_deltas)."""
    c = sd['bif_cbam_0.ChannelGate.mlp.3.bias'].numel()
    feats = _ref_backbone(sd, x)
    feats = [
        F.relu(_ref_cbam(sd, f'bacbkbone_{i}_cbam.', f) + f)
        for i, f in enumerate(feats)
    ]
    for j in range(3):
        feats = _ref_bifpn_cell(sd, f'bifpn.{j}.', feats, j == 0)
    feats = [
        F.relu(_ref_cbam(sd, f'bif_cbam_{i}.', f) + f)
        for i, f in enumerate(feats)
    ]
    feats = [
        _ref_shuffle_block(sd, f'ssh{i + 1}_cs.',
                           _ref_ssh(sd, f'ssh{i + 1}.', f, c))
        for i, f in enumerate(feats)
    ]

    def head(name, k):
        outs = []
        for i, f in enumerate(feats):
            y = F.conv2d(f, sd[f'{name}.{i}.conv1x1.weight'],
                         sd[f'{name}.{i}.conv1x1.bias'])
            outs.append(y.permute(0, 2, 3, 1).reshape(y.shape[0], -1, k))
        return torch.cat(outs, 1)

    return (head('BboxHead', 4), head('ClassHead', 2).softmax(-1),
            head('LandmarkHead', 10))


def reference_shapes(c, in_channels=(64, 128, 256), anchors=2):
    """Key -> shape of a reference FeatherFace V1 state dict of width c."""
    shapes = {
        'body.' + k: tuple(v.shape)
        for k, v in MobileNetV1().state_dict().items()
    }

    def bn(p, n):
        for leaf in ('weight', 'bias', 'running_mean', 'running_var'):
            shapes[p + leaf] = (n, )
        shapes[p + 'num_batches_tracked'] = ()

    def cbam(p, n):
        r = n // 16
        shapes.update({
            p + 'ChannelGate.mlp.1.weight': (r, n),
            p + 'ChannelGate.mlp.1.bias': (r, ),
            p + 'ChannelGate.mlp.3.weight': (n, r),
            p + 'ChannelGate.mlp.3.bias': (n, ),
            p + 'SpatialGate.spatial.conv.weight': (1, 2, 7, 7)
        })
        bn(p + 'SpatialGate.spatial.bn.', 1)

    for i, n in enumerate(in_channels):
        cbam(f'bacbkbone_{i}_cbam.', n)
    for j in range(3):
        p = f'bifpn.{j}.'
        for name, k in (('p4_w1', 2), ('p3_w1', 2), ('p4_w2', 3),
                        ('p5_w2', 3)):
            shapes[p + name] = (k, )
        for name in ('conv4_up', 'conv3_up', 'conv4_down', 'conv5_down'):
            shapes[p + name + '.depthwise_conv.conv.weight'] = (c, 1, 3, 3)
            shapes[p + name + '.pointwise_conv.conv.weight'] = (c, c, 1, 1)
            shapes[p + name + '.pointwise_conv.conv.bias'] = (c, )
            bn(p + name + '.bn.', c)
        if j == 0:
            for name, n in (('p5_down_channel', in_channels[2]),
                            ('p4_down_channel', in_channels[1]),
                            ('p3_down_channel', in_channels[0]),
                            ('p4_down_channel_2', in_channels[1]),
                            ('p5_down_channel_2', in_channels[2])):
                shapes[p + name + '.0.conv.weight'] = (c, n, 1, 1)
                shapes[p + name + '.0.conv.bias'] = (c, )
                bn(p + name + '.1.', c)
    for i in range(3):
        cbam(f'bif_cbam_{i}.', c)
    for i in range(1, 4):
        for name, cin, cout in (('conv3X3', c, c // 2),
                                ('conv5X5_1', c, c // 4),
                                ('conv5X5_2', c // 4, c // 4),
                                ('conv7X7_2', c // 4, c // 4),
                                ('conv7x7_3', c // 4, c // 4)):
            p = f'ssh{i}.{name}.'
            shapes.update({
                p + '0.offset_conv.weight': (18, cin, 3, 3),
                p + '0.offset_conv.bias': (18, ),
                p + '0.modulator_conv.weight': (9, cin, 3, 3),
                p + '0.modulator_conv.bias': (9, ),
                p + '0.regular_conv.weight': (cout, cin, 3, 3)
            })
            bn(p + '1.', cout)
    for i in range(1, 4):
        p = f'ssh{i}_cs.'
        shapes[p + '1.weight'] = (c // 2, c, 1, 1)
        bn(p + '2.', c // 2)
        shapes[p + '3.weight'] = (c // 2, 1, 3, 3)
        bn(p + '4.', c // 2)
        shapes[p + '5.weight'] = (c, c // 2, 1, 1)
        bn(p + '6.', c)
    for name, k in (('ClassHead', 2), ('BboxHead', 4), ('LandmarkHead', 10)):
        for i in range(3):
            shapes[f'{name}.{i}.conv1x1.weight'] = (anchors * k, c, 1, 1)
            shapes[f'{name}.{i}.conv1x1.bias'] = (anchors * k, )
    return shapes


def random_reference_state_dict(c, seed=0):
    g = torch.Generator().manual_seed(seed)
    sd = {}
    for key, shape in reference_shapes(c).items():
        if key.endswith('num_batches_tracked'):
            sd[key] = torch.tensor(0)
        elif key.endswith('running_var') or re.search(r'_w\d$', key):
            sd[key] = 0.5 + torch.rand(shape, generator=g)
        elif key.endswith('weight') and len(shape) == 1:  # BN scale
            sd[key] = 1 + 0.2 * torch.randn(shape, generator=g)
        elif len(shape) == 4:
            fan_in = shape[1] * shape[2] * shape[3]
            sd[key] = torch.randn(shape, generator=g) / math.sqrt(fan_in)
        else:
            sd[key] = 0.1 * torch.randn(shape, generator=g)
    return sd


@pytest.fixture(scope='module')
def reference_state():
    return load_reference_state_dict(
        shared_file('reference', 'featherface_v1_c64_seed0.pth'))


@pytest.fixture(scope='module')
def reference_io():
    return torch.load(
        shared_file('reference', 'featherface_v1_c64_seed0_io.pt'),
        map_location='cpu', weights_only=True)


@pytest.fixture(scope='module')
def converted_model(reference_state):
    model = build_model(64).eval()
    model.load_state_dict(
        convert_featherface(reference_state, model.state_dict()),
        strict=True)
    return model


# ------------------------------------------------------------------- CBAM
def test_cbam_matches_formula():
    torch.manual_seed(0)
    cbam = CBAM(64, reduction=16).eval()
    with torch.no_grad():
        cbam.spatial_gate.bn.running_mean.fill_(0.3)
        cbam.spatial_gate.bn.running_var.fill_(2.0)
    x = torch.randn(2, 64, 9, 11)
    gate = cbam.channel_gate
    assert gate.fc1.weight.shape == (4, 64)

    def mlp(v):
        return gate.fc2(F.relu(gate.fc1(v)))

    y = x * torch.sigmoid(mlp(x.mean((2, 3))) + mlp(x.amax((2, 3))))[
        ..., None, None]
    s = torch.cat([y.amax(1, keepdim=True), y.mean(1, keepdim=True)], 1)
    bn = cbam.spatial_gate.bn
    s = F.batch_norm(
        F.conv2d(s, cbam.spatial_gate.conv.weight, padding=3),
        bn.running_mean, bn.running_var, bn.weight, bn.bias, False, 0.,
        bn.eps)
    expected = y * torch.sigmoid(s)
    with torch.no_grad():
        assert max_diff(cbam(x), expected) < 1e-6
    assert bn.momentum == 0.01 and bn.eps == 1e-5
    assert cbam.spatial_gate.conv.bias is None
    # 64 -> 4 -> 64 MLP with biases, 7x7 conv without bias, 1-channel BN
    assert count_parameters(cbam) == 64 * 4 + 4 + 4 * 64 + 64 + 98 + 2


def test_cbam_pieces_are_reusable():
    assert ChannelGate(52, reduction=16).hidden_channels == 3
    assert ChannelGate(8, reduction=32).hidden_channels == 1
    shared = ChannelGate(64, reduction=32)
    a = CBAM(64, channel_gate=shared, spatial_gate=SpatialGate())
    b = CBAM(64, channel_gate=shared, use_spatial=False)
    assert a.channel_gate is b.channel_gate and b.spatial_gate is None
    x = torch.randn(1, 64, 5, 5)
    assert a(x).shape == b(x).shape == x.shape


# ------------------------------------------------------------------ BiFPN
def test_weighted_fusion_is_fast_normalised():
    fuse = WeightedFusion(2, num_weights=3, eps=1e-4)
    with torch.no_grad():
        fuse.weight.copy_(torch.tensor([1.0, -2.0, 3.0]))
    a, b = torch.randn(1, 4, 3, 3), torch.randn(1, 4, 3, 3)
    # negative weight clipped to 0; the surplus third weight normalises
    assert max_diff(fuse([a, b]), a / (4 + 1e-4)) < 1e-7
    with pytest.raises(ValueError):
        WeightedFusion(3, num_weights=2)


def test_same_max_pool_pads_with_zeros():
    even = -torch.rand(1, 1, 6, 8) - 1  # all negative
    out = max_pool_same(even)
    assert out.shape[-2:] == (3, 4)
    # even sizes: one zero row/column after the map only
    assert (out[..., -1, :] == 0).all() and (out[..., :, -1] == 0).all()
    assert (out[..., :-1, :-1] < 0).all()
    odd = -torch.rand(1, 1, 7, 5) - 1
    out = max_pool_same(odd)
    assert out.shape[-2:] == (4, 3)
    # odd sizes: one zero row/column on each side
    assert (out[..., 0, :] == 0).all() and (out[..., :, -1] == 0).all()
    assert (out[..., 1:-1, 1:-1] < 0).all()


def test_bifpn_shapes_and_sizes():
    bifpn = BiFPN((64, 128, 256), 64, num_cells=3).eval()
    first, later = bifpn.cells[0], bifpn.cells[1]
    assert first.first and not later.first
    assert count_parameters(first) == 73674 and count_parameters(later) == 19466
    assert count_parameters(bifpn) == 112606
    assert first.fuse_p5_out.weight.numel() == 3
    assert BiFPNCell(64, legacy_p5_weights=False).fuse_p5_out.weight.numel() \
        == 2
    sep = later.conv_p4_td
    assert sep.depthwise_conv.bias is None and sep.pointwise_conv.bias \
        is not None
    assert sep.bn.eps == 1e-3 and sep.bn.momentum == 0.01
    for sizes in (((40, 40), (20, 20), (10, 10)), ((13, 17), (7, 9), (4,
                                                                      5))):
        feats = [
            torch.randn(2, c, *s) for c, s in zip((64, 128, 256), sizes)
        ]
        with torch.no_grad():
            outs = bifpn(feats)
        assert [tuple(o.shape) for o in outs] == [(2, 64, *s) for s in sizes]


# -------------------------------------------------------------------- DCN
@pytest.mark.parametrize('stride,padding,dilation', [(1, 1, 1), (2, 1, 1),
                                                     (1, 2, 2)])
def test_dcn_equals_plain_conv_at_init(stride, padding, dilation):
    torch.manual_seed(0)
    dcn = ScaledModulatedDeformConv2d(
        8, 6, 3, stride=stride, padding=padding, dilation=dilation,
        bias=True)
    with torch.no_grad():
        dcn.bias.normal_()
    assert (dcn.conv_offset.weight == 0).all()
    assert dcn.conv_offset.out_channels == 27
    x = torch.randn(2, 8, 11, 10, requires_grad=True)
    x_ref = x.detach().clone().requires_grad_()
    w_ref = dcn.weight.detach().clone().requires_grad_()
    out = dcn(x)
    ref = F.conv2d(x_ref, w_ref, dcn.bias.detach(), stride, padding,
                   dilation)
    assert max_diff(out, ref) < 1e-5
    # backward on CPU: same input/weight grads as the plain conv, and the
    # offset/mask conv receives gradient (offset part and mask part).
    g = torch.randn_like(ref)
    out.backward(g)
    ref.backward(g)
    assert max_diff(x.grad, x_ref.grad) < 1e-4
    assert max_diff(dcn.weight.grad, w_ref.grad) < 1e-4
    grad = dcn.conv_offset.weight.grad
    assert grad[:18].abs().sum() > 0 and grad[18:].abs().sum() > 0


def test_dcn_offset_layout_matches_reference_sampling():
    torch.manual_seed(1)
    dcn = ScaledModulatedDeformConv2d(5, 4, 3, padding=1, bias=False)
    with torch.no_grad():
        dcn.conv_offset.weight.normal_(0, 0.3)
        dcn.conv_offset.bias.normal_(0, 1.0)
    x = torch.randn(2, 5, 9, 7)
    with torch.no_grad():
        offset, mask = dcn.offset_and_mask(x)
        assert offset.shape[1] == 18 and mask.shape[1] == 9
        assert 0 < mask.min() and mask.max() < 2
        expected = ref_deform_conv(x, offset, mask, dcn.weight)
        assert max_diff(dcn(x), expected) < 1e-5
        # the (dy, dx) order matters: swapping the pair changes the result
        swapped = offset.reshape(2, 9, 2, 9, 7).flip(2).reshape(2, 18, 9, 7)
        assert max_diff(ref_deform_conv(x, swapped, mask, dcn.weight),
                        expected) > 1e-2
    # mmcv's CPU backward agrees with autograd through the bilinear sampling
    leaves = [t.clone().requires_grad_() for t in (x, offset, mask,
                                                   dcn.weight.detach())]
    ours = modulated_deform_conv2d(*leaves[:4], None, 1, 1, 1, 1, 1)
    leaves_ref = [t.detach().clone().requires_grad_() for t in leaves]
    theirs = ref_deform_conv(*leaves_ref)
    g = torch.randn_like(ours)
    ours.backward(g)
    theirs.backward(g)
    for a, b in zip(leaves, leaves_ref):
        assert max_diff(a.grad, b.grad) < 1e-4


def test_dcn_is_a_conv_module_layer():
    assert ROOT_MODELS.get('ScaledDCNv2') is ScaledModulatedDeformConv2d
    init_default_scope('mmdet')
    layer = ConvModule(16, 8, 3, padding=1, conv_cfg=dict(type='ScaledDCNv2'),
                       norm_cfg=dict(type='BN'))
    assert isinstance(layer.conv, ScaledModulatedDeformConv2d)
    assert layer.conv.bias is None  # bias='auto' with a norm
    assert layer(torch.randn(1, 16, 6, 6)).shape == (1, 8, 6, 6)


# --------------------------------------------------------- channel shuffle
def test_channel_shuffle_permutation():
    x = torch.arange(8.).reshape(1, 8, 1, 1)
    assert channel_shuffle(x, 2).flatten().tolist() == [0, 2, 4, 6, 1, 3, 5, 7]
    assert channel_shuffle(x, 4).flatten().tolist() == [0, 4, 1, 5, 2, 6, 3, 7]
    x = torch.arange(12.).reshape(1, 12, 1, 1).expand(2, 12, 3, 2)
    for g in (2, 3, 4):
        out = channel_shuffle(x, g)
        n = 12 // g
        expect = [i * g + j for j in range(g) for i in range(n)]
        assert (out[:, :, 0, 0] == torch.tensor(expect).float()).all()
    with pytest.raises(ValueError):
        channel_shuffle(torch.zeros(1, 6, 1, 1), 4)


def test_channel_shuffle_block():
    block = ChannelShuffleBlock(64)
    assert count_parameters(block) == 4640
    assert block.dwconv.conv.groups == 32
    assert all(m.conv.bias is None
               for m in (block.conv1, block.dwconv, block.conv2))
    assert not block.conv1.with_activation
    assert not block.dwconv.with_activation
    assert block.conv2.with_activation
    out = block(torch.randn(2, 64, 5, 6))
    assert out.shape == (2, 64, 5, 6) and (out >= 0).all()


# ------------------------------------------------------------------- neck
def test_neck_shapes_and_switches():
    feats = [torch.randn(2, c, 12 // 2**i, 16 // 2**i)
             for i, c in enumerate((64, 128, 256))]
    neck = FeatherFaceNeck().eval()
    with torch.no_grad():
        outs = neck(feats)
    assert [tuple(o.shape) for o in outs] == [(2, 64, 12, 16),
                                              (2, 64, 6, 8), (2, 64, 3, 4)]
    assert isinstance(neck.ssh[0].conv3x3.conv, ScaledModulatedDeformConv2d)
    plain = FeatherFaceNeck(out_channels=32,
                            fusion=dict(type='BiFPN', num_cells=1),
                            context=dict(type='FaceSSH', conv_cfg=None),
                            shuffle_block=None)
    assert plain.channel_shuffle is None and len(plain.bifpn.cells) == 1
    assert isinstance(plain.ssh[0].conv3x3.conv, nn.Conv2d)
    assert [tuple(o.shape) for o in plain(feats)][0] == (2, 32, 12, 16)


def test_parameter_counts_per_component():
    model = build_model(64)
    neck = model.neck
    assert count_parameters(model.backbone) == 213072
    assert count_parameters(neck.backbone_cbam) + count_parameters(neck.bifpn_cbam) == 13568
    assert count_parameters(neck.bifpn) == 112606
    assert count_parameters(neck.ssh) == 232965
    assert count_parameters(neck.channel_shuffle) == 13920
    assert count_parameters(model.bbox_head) == 6240
    assert count_parameters(model) == 592371
    assert count_parameters(build_model(52)) == 498102


def test_train_step_reaches_deformable_and_fusion_weights():
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    model = build_model(64).train()
    with torch.no_grad():  # non-zero offsets: exercise real sampling
        for m in model.modules():
            if isinstance(m, ScaledModulatedDeformConv2d):
                m.conv_offset.weight.normal_(0, 0.01)
    sample = DetDataSample(metainfo=dict(
        img_shape=(96, 128), pad_shape=(96, 128),
        batch_input_shape=(96, 128)))
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[10., 12., 50., 60.]]),
        labels=torch.tensor([0]),
        keypoints=torch.rand(1, 5, 2) * 40 + 12,
        keypoints_visible=torch.ones(1, 5))
    losses = model.loss(torch.randn(1, 3, 96, 128), [sample])
    total = sum(losses.values())
    total.backward()
    assert torch.isfinite(total)
    neck = model.neck
    for p in (neck.ssh[0].conv3x3.conv.conv_offset.weight,
              neck.ssh[2].conv7x7_3.conv.weight,
              neck.bifpn.cells[0].fuse_p4_td.weight,
              neck.bifpn.cells[2].fuse_p5_out.weight,
              neck.backbone_cbam[2].channel_gate.fc1.weight,
              model.backbone.stage1[0][0].weight):
        assert p.grad is not None and p.grad.abs().sum() > 0


# -------------------------------------------------------------- converter
def test_reference_layout_description():
    """reference_shapes(64) (used for the C=52 check) is the real layout."""
    with open(shared_file('reference', 'featherface_v1_c64_keys.json')) as f:
        keys = json.load(f)
    assert len(keys) == 587
    assert {k: tuple(s) for k, s in keys} == reference_shapes(64)


def test_converter_maps_every_key(reference_state):
    model = build_model(64)
    converted = convert_featherface(reference_state, model.state_dict())
    assert len(converted) == len(model.state_dict())
    # offset and mask convs concatenated in this order; classes swapped
    p = 'ssh2.conv5X5_2.0.'
    q = 'neck.ssh.1.conv5x5_2.conv.'
    assert torch.equal(
        converted[q + 'conv_offset.weight'],
        torch.cat([reference_state[p + 'offset_conv.weight'],
                   reference_state[p + 'modulator_conv.weight']]))
    assert torch.equal(converted[q + 'weight'],
                       reference_state[p + 'regular_conv.weight'])
    cls_ref = reference_state['ClassHead.1.conv1x1.bias']
    assert converted['bbox_head.cls_convs.1.bias'].tolist() == \
        cls_ref[[1, 0, 3, 2]].tolist()
    assert torch.equal(converted['neck.bifpn.cells.1.fuse_p5_out.weight'],
                       reference_state['bifpn.1.p5_w2'])
    # a DataParallel prefix is accepted
    wrapped = {'module.' + k: v for k, v in reference_state.items()}
    assert convert_featherface(wrapped).keys() == converted.keys()


def test_converter_refuses_what_does_not_fit(reference_state):
    target = build_model(64).state_dict()
    missing = dict(reference_state)
    del missing['bifpn.1.p5_w2']
    with pytest.raises(CheckpointMismatchError,
                       match='neck.bifpn.cells.1.fuse_p5_out.weight'):
        convert_featherface(missing, target)
    extra = dict(reference_state)
    extra['fpn.output1.0.weight'] = torch.zeros(64, 64, 1, 1)
    with pytest.raises(CheckpointMismatchError, match='fpn.output1.0.weight'):
        convert_featherface(extra)
    partial = dict(reference_state)
    del partial['ssh1.conv3X3.0.modulator_conv.bias']
    with pytest.raises(CheckpointMismatchError, match='modulator_conv.bias'):
        convert_featherface(partial)
    # a C=64 checkpoint into the C=52 model: shapes named
    with pytest.raises(CheckpointMismatchError) as err:
        convert_featherface(reference_state, build_model(52).state_dict())
    assert 'shape mismatch' in str(err.value)
    assert ('neck.bifpn.cells.0.in_projs.0.conv.weight: checkpoint '
            '(64, 64, 1, 1) vs model (52, 64, 1, 1)') in str(err.value)


def test_convert_tool(tmp_path, converted_model):
    src = shared_file('reference', 'featherface_v1_c64_seed0.pth')
    dst = tmp_path / 'featherface_v1.pth'
    run_tool('tools/convert_ckpt.py', '--from', 'featherface', src, str(dst))
    state = torch.load(dst, map_location='cpu', weights_only=False)
    model = build_model(64)
    model.load_state_dict(state['state_dict'], strict=True)
    for k, v in converted_model.state_dict().items():
        assert torch.equal(model.state_dict()[k], v), k


# ------------------------------------------------------ reference outputs
def test_matches_reference_outputs(converted_model, reference_io):
    x = reference_io['input']
    expected = (reference_io['bbox_deltas'],
                reference_io['cls_scores_softmax'],
                reference_io['landmark_deltas'])
    for got, want in zip(ffmm_outputs(converted_model, x), expected):
        assert max_diff(got, want) < TOL


def test_matches_reference_outputs_tightly(converted_model, reference_io):
    """The stored outputs barely depend on the deeper neck (the random BN
    scales of that checkpoint are ~0.1), so 1e-4 cannot tell e.g. the
    reference's 3-weight P5 node (2e-6 off) or the (dy, dx) offset order
    (2e-5 off) from alternatives; float32 rounding here is ~1e-7."""
    x = reference_io['input']
    expected = (reference_io['bbox_deltas'],
                reference_io['cls_scores_softmax'],
                reference_io['landmark_deltas'])
    for got, want in zip(ffmm_outputs(converted_model, x), expected):
        assert max_diff(got, want) < 1e-6


def test_reimplementation_matches_reference_outputs(reference_state,
                                                    reference_io):
    """Validates the functional re-implementation used below."""
    with torch.no_grad():
        got = reference_forward(reference_state, reference_io['input'])
    expected = (reference_io['bbox_deltas'],
                reference_io['cls_scores_softmax'],
                reference_io['landmark_deltas'])
    for a, b in zip(got, expected):
        assert max_diff(a, b) < TOL


@pytest.mark.parametrize('size', [(96, 128), (100, 150)])
def test_matches_reimplementation_on_other_sizes(converted_model,
                                                 reference_state, size):
    x = torch.randn(2, 3, *size, generator=torch.Generator().manual_seed(3))
    x = x * 60
    with torch.no_grad():
        expected = reference_forward(reference_state, x)
    for got, want in zip(ffmm_outputs(converted_model, x), expected):
        assert max_diff(got, want) < TOL


@pytest.mark.parametrize('width', [64, 52])
def test_random_weights_match_reimplementation(width):
    """Random, well-conditioned reference weights (BN scales ~1, offsets of
    about a pixel) at C = 64 and 52: converted, loaded and compared with the
    re-implementation. Unlike the stored checkpoint, whose small random BN
    scales damp everything past the backbone, these weights make the
    outputs sensitive to every detail of the neck (pool padding, the 3rd P5
    weight, shuffle order, offset layout, mask scale, leaky slopes)."""
    state = random_reference_state_dict(width, seed=7)
    model = build_model(width).eval()
    model.load_state_dict(
        convert_featherface(state, model.state_dict()), strict=True)
    x = 60 * torch.randn(1, 3, 100, 150,
                         generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        expected = reference_forward(state, x)
    assert min(e.std() for e in expected) > 0.05  # not degenerate
    for got, want in zip(ffmm_outputs(model, x), expected):
        assert max_diff(got, want) < TOL
