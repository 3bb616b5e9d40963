"""The torch-op DCNv2 kernel for CPU inference against mmcv's op."""
from unittest import mock

import pytest
import torch
from mmcv.ops import modulated_deform_conv2d

from ffmm.models.layers import ScaledModulatedDeformConv2d
from ffmm.models.layers import modulated_dcn
from ffmm.models.layers.deform_sampling import modulated_deform_conv2d_sampled


def _inputs(n, c, h, w, cout, k, stride, padding, dilation, dg, spread):
    g = torch.Generator().manual_seed(0)
    ho = (h + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    wo = (w + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    x = torch.randn(n, c, h, w, generator=g)
    # large offsets send samples outside the image (zero there); rounded
    # ones land exactly on pixels and borders
    offset = torch.randn(n, dg * 2 * k * k, ho, wo, generator=g) * spread
    offset[:, ::3] = offset[:, ::3].round()
    mask = torch.rand(n, dg * k * k, ho, wo, generator=g) * 2
    weight = torch.randn(cout, c, k, k, generator=g) * 0.2
    bias = torch.randn(cout, generator=g)
    return x, offset, mask, weight, bias


@pytest.mark.parametrize(
    'c,h,w,cout,k,stride,padding,dilation,dg,spread',
    [(8, 11, 10, 6, 3, 1, 1, 1, 1, 1.5),
     (8, 11, 10, 6, 3, 2, 1, 1, 1, 3.0),
     (8, 12, 9, 5, 3, 1, 2, 2, 1, 6.0),
     (8, 9, 9, 4, 3, 1, 1, 1, 2, 2.0),
     (6, 7, 13, 3, 1, 1, 0, 1, 1, 1.0),
     (4, 2, 5, 3, 3, 1, 1, 1, 1, 0.7)])
def test_sampled_kernel_equals_mmcv(c, h, w, cout, k, stride, padding,
                                    dilation, dg, spread):
    x, offset, mask, weight, bias = _inputs(2, c, h, w, cout, k, stride,
                                            padding, dilation, dg, spread)
    expected = modulated_deform_conv2d(x, offset, mask, weight, bias, stride,
                                       padding, dilation, 1, dg)
    out = modulated_deform_conv2d_sampled(
        x, offset, mask, weight, bias, (stride, stride), (padding, padding),
        (dilation, dilation), dg)
    assert out.shape == expected.shape
    assert (out - expected).abs().max() < 1e-4
    assert expected.abs().max() > 0.5  # not trivially zero


def _layer(**kwargs):
    torch.manual_seed(0)
    layer = ScaledModulatedDeformConv2d(8, 6, 3, padding=1, **kwargs)
    with torch.no_grad():
        layer.conv_offset.weight.normal_(0, 0.3)
        layer.conv_offset.bias.normal_(0, 1.0)
    return layer


def _count_sampled_calls(layer, x, grad):
    with mock.patch.object(
            modulated_dcn, 'modulated_deform_conv2d_sampled',
            wraps=modulated_deform_conv2d_sampled) as spy, \
            torch.set_grad_enabled(grad):
        out = layer(x)
    return out, spy.call_count


def test_layer_uses_the_sampled_kernel_only_for_cpu_inference():
    layer = _layer()
    x = torch.randn(2, 8, 9, 7)
    fast, calls = _count_sampled_calls(layer, x, grad=False)
    assert calls == 1
    slow, calls = _count_sampled_calls(layer, x, grad=True)
    assert calls == 0  # training keeps mmcv's op and its gradients
    assert (fast - slow).abs().max() < 1e-4
    slow.sum().backward()
    assert layer.conv_offset.weight.grad.abs().sum() > 0

    layer.cpu_inference_kernel = False
    _, calls = _count_sampled_calls(layer, x, grad=False)
    assert calls == 0
    grouped = ScaledModulatedDeformConv2d(8, 6, 3, padding=1, groups=2)
    _, calls = _count_sampled_calls(grouped, x, grad=False)
    assert calls == 0


def test_layer_switch_comes_from_the_config():
    from mmcv.cnn import build_conv_layer
    layer = build_conv_layer(
        dict(type='ScaledDCNv2', cpu_inference_kernel=False), 4, 4, 3,
        padding=1)
    assert layer.cpu_inference_kernel is False
    assert 'mask_scale=2.0' in repr(layer)


@pytest.mark.parametrize('grad', [False, True])
def test_channels_last_input_gives_the_same_result(grad):
    # mmcv's op alone reads a channels-last tensor as if it were NCHW
    layer = _layer()
    x = torch.randn(2, 8, 9, 7)
    with torch.set_grad_enabled(grad):
        expected = layer(x)
        out = layer(x.contiguous(memory_format=torch.channels_last))
    assert (out - expected).abs().max() < 1e-5
