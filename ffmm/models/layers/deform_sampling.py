"""Modulated deformable convolution (DCNv2) for CPU inference, in torch ops.

mmcv's CPU kernel of ``modulated_deform_conv2d`` builds the full column
matrix one sample at a time; FeatherFace V1's SSH runs 15 such layers, and
on CPU they took 37 % of a distillation step (the frozen teacher's
forward) and most of V1's test time. Without gradients the same result
comes from two well-optimised torch ops, because bilinear sampling is
linear in the sampled values and the convolution is linear in its input:
first project the input by each kernel tap's weights (a 1x1 convolution to
``kh * kw * out_channels`` maps), then sample each tap's map at its
offset positions with ``grid_sample`` (``out_channels`` channels instead
of ``in_channels``), weight by the mask and sum over the taps.

Sampling follows mmcv's kernel: positions are pixel indices, corners
outside the image count as zero and a position beyond one pixel outside
gives zero. It matches mmcv's op to float rounding (tests compare them);
gradients are left to mmcv (its offset gradient at integer positions is
not what ``grid_sample`` would give after the coordinate normalisation).
"""
import torch
import torch.nn.functional as F


def modulated_deform_conv2d_sampled(x, offset, mask, weight, bias, stride,
                                    padding, dilation, deform_groups):
    """DCNv2 with ``groups == 1``; arguments as mmcv's op, tuples for
    ``stride``, ``padding`` and ``dilation``."""
    n, c, h, w = x.shape
    cout, cin, kh, kw = weight.shape
    if cin != c:
        raise ValueError(f'weight takes {cin} input channels, the input '
                         f'has {c} (grouped convs are not supported)')
    dg, k = deform_groups, kh * kw
    ho, wo = offset.shape[2:]
    # one 1x1 projection per (deform group, tap): (n, dg * k * cout, h, w)
    taps = weight.reshape(cout, dg, c // dg, k).permute(1, 3, 0, 2)
    projected = F.conv2d(x, taps.reshape(dg * k * cout, c // dg, 1, 1),
                         groups=dg)

    def base(size, step, pad, dil, ksize):
        pos = torch.arange(size, dtype=x.dtype, device=x.device) * step - pad
        tap = torch.arange(ksize, dtype=x.dtype, device=x.device) * dil
        return pos, tap

    rows, tap_y = base(ho, stride[0], padding[0], dilation[0], kh)
    cols, tap_x = base(wo, stride[1], padding[1], dilation[1], kw)
    offset = offset.reshape(n, dg, k, 2, ho, wo)  # (dy, dx) per tap
    y = (rows.view(ho, 1) + tap_y.repeat_interleave(kw).view(k, 1, 1) +
         offset[:, :, :, 0])
    x_pos = (cols.view(1, wo) + tap_x.repeat(kh).view(k, 1, 1) +
             offset[:, :, :, 1])
    # align_corners=True maps -1 / 1 to the centres of the border pixels
    grid = torch.stack((x_pos * (2.0 / max(w - 1, 1)) - 1.0,
                        y * (2.0 / max(h - 1, 1)) - 1.0), dim=-1)
    sampled = F.grid_sample(
        projected.reshape(n * dg * k, cout, h, w),
        grid.reshape(n * dg * k, ho, wo, 2), mode='bilinear',
        padding_mode='zeros', align_corners=True)
    out = (sampled.view(n, dg * k, cout, ho, wo) *
           mask.reshape(n, dg * k, 1, ho, wo)).sum(1)
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out
