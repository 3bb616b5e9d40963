"""Modulated deformable conv (DCNv2) with a 2*sigmoid mask, on mmcv's ops.

FeatherFace's SSH uses DCNv2 layers whose offsets and modulation mask are
predicted by convs initialised to zero and whose mask is
``2 * sigmoid(logits)``: at initialisation the mask is exactly 1 and the
offsets 0, so the layer starts as the plain convolution. (mmcv's own
``DCNv2`` uses ``sigmoid``, i.e. a 0.5 mask at init.)

The layer is registered as ``'ScaledDCNv2'`` in mmengine's root ``MODELS``
registry, where ``mmcv.cnn.build_conv_layer`` (hence ``ConvModule``) looks
conv layers up, so ``conv_cfg=dict(type='ScaledDCNv2')`` works in any scope.
"""
import torch
import torch.nn as nn
from mmcv.ops import ModulatedDeformConv2d, modulated_deform_conv2d
from mmengine.registry import MODELS


@MODELS.register_module('ScaledDCNv2')
class ScaledModulatedDeformConv2d(ModulatedDeformConv2d):
    """DCNv2 whose offsets and mask come from one zero-initialised conv.

    Takes the ``nn.Conv2d``/``ConvModule`` arguments (``in_channels,
    out_channels, kernel_size, stride, padding, dilation, groups, bias``)
    plus ``deform_groups`` and ``mask_scale``.

    ``conv_offset`` has the same kernel, stride, padding and dilation as the
    main conv and ``3 * deform_groups * kh * kw`` output channels: first the
    offsets, ``2 * kh * kw`` per deform group laid out as (dy, dx) pairs per
    kernel location in row-major kernel order (the layout of mmcv's op and
    of ``torchvision.ops.deform_conv2d``), then the ``kh * kw`` mask logits
    per deform group. The mask is ``mask_scale * sigmoid(logits)``.
    """

    def __init__(self, *args, mask_scale=2.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_scale = mask_scale
        kh, kw = self.kernel_size
        self.conv_offset = nn.Conv2d(
            self.in_channels,
            self.deform_groups * 3 * kh * kw,
            kernel_size=self.kernel_size,
            stride=self.stride,
            padding=self.padding,
            dilation=self.dilation,
            bias=True)
        self.init_weights()

    @property
    def num_offset_channels(self):
        kh, kw = self.kernel_size
        return self.deform_groups * 2 * kh * kw

    def init_weights(self):
        # Main weight: uniform(+-1/sqrt(fan_in)), the nn.Conv2d default
        # range; offsets and mask logits start at zero.
        super().init_weights()
        if hasattr(self, 'conv_offset'):
            nn.init.zeros_(self.conv_offset.weight)
            nn.init.zeros_(self.conv_offset.bias)

    def offset_and_mask(self, x):
        out = self.conv_offset(x)
        n = self.num_offset_channels
        offset = out[:, :n].contiguous()
        mask = self.mask_scale * torch.sigmoid(out[:, n:])
        return offset, mask.contiguous()

    def forward(self, x):
        offset, mask = self.offset_and_mask(x)
        return modulated_deform_conv2d(x, offset, mask, self.weight,
                                       self.bias, self.stride, self.padding,
                                       self.dilation, self.groups,
                                       self.deform_groups)

    def extra_repr(self):
        return (f'{self.in_channels}, {self.out_channels}, '
                f'kernel_size={self.kernel_size}, stride={self.stride}, '
                f'padding={self.padding}, dilation={self.dilation}, '
                f'groups={self.groups}, deform_groups={self.deform_groups}, '
                f'bias={self.bias is not None}, '
                f'mask_scale={self.mask_scale}')
