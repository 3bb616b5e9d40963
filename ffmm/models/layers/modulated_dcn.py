"""Modulated deformable conv (DCNv2) with a 2*sigmoid mask, on mmcv's ops.

FeatherFace's SSH uses DCNv2 layers whose offsets and modulation mask are
predicted by convs initialised to zero and whose mask is
``2 * sigmoid(logits)``: at initialisation the mask is exactly 1 and the
offsets 0, so the layer starts as the plain convolution. mmcv's
``ModulatedDeformConv2dPack`` (``'DCNv2'``) is the same layer with a
``sigmoid`` mask (0.5 at init); this subclass only changes the mask.

The layer is registered as ``'ScaledDCNv2'`` in mmengine's root ``MODELS``
registry, where ``mmcv.cnn.build_conv_layer`` (hence ``ConvModule``) looks
conv layers up, so ``conv_cfg=dict(type='ScaledDCNv2')`` works in any scope.

Without gradients on CPU (a frozen teacher, testing) the layer runs the
torch-op kernel of ``deform_sampling.py``, several times faster than mmcv's
CPU kernel and equal to it to float rounding; training, GPUs and tracing
keep mmcv's op.
"""
import torch
from mmcv.ops import ModulatedDeformConv2dPack, modulated_deform_conv2d
from mmengine.registry import MODELS

from .deform_sampling import modulated_deform_conv2d_sampled


@MODELS.register_module('ScaledDCNv2')
class ScaledModulatedDeformConv2d(ModulatedDeformConv2dPack):
    """DCNv2 whose offsets and mask come from one zero-initialised conv.

    Takes the ``nn.Conv2d``/``ConvModule`` arguments (``in_channels,
    out_channels, kernel_size, stride, padding, dilation, groups, bias``)
    plus ``deform_groups`` and ``mask_scale``.

    ``conv_offset`` (built by the parent) has the same kernel, stride,
    padding and dilation as the main conv and ``3 * deform_groups * kh *
    kw`` output channels: first the offsets, ``2 * kh * kw`` per deform
    group laid out as (dy, dx) pairs per kernel location in row-major kernel
    order (the layout of mmcv's op and of ``torchvision.ops.deform_conv2d``),
    then the ``kh * kw`` mask logits per deform group. The mask is
    ``mask_scale * sigmoid(logits)``. Initialisation is the parent's: main
    weight uniform(+-1/sqrt(fan_in)), offsets and mask logits zero.
    ``cpu_inference_kernel=False`` keeps mmcv's op on CPU without
    gradients too.
    """

    # The parent's version 2 renames pre-2019 mmdet keys and logs an
    # "upgraded" line on every load of a version-2 state dict; this layer
    # always had ``conv_offset``, so it stays at version 1 (its checkpoints
    # so far were written as version 1 too).
    _version = 1

    def __init__(self, *args, mask_scale=2.0, cpu_inference_kernel=True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.mask_scale = mask_scale
        self.cpu_inference_kernel = cpu_inference_kernel

    @property
    def num_offset_channels(self):
        kh, kw = self.kernel_size
        return self.deform_groups * 2 * kh * kw

    def offset_and_mask(self, x):
        out = self.conv_offset(x)
        n = self.num_offset_channels
        offset = out[:, :n].contiguous()
        mask = self.mask_scale * torch.sigmoid(out[:, n:])
        return offset, mask.contiguous()

    def forward(self, x):
        offset, mask = self.offset_and_mask(x)
        if self._use_cpu_inference_kernel(x):
            return modulated_deform_conv2d_sampled(
                x, offset, mask, self.weight, self.bias, self.stride,
                self.padding, self.dilation, self.deform_groups)
        # mmcv's op reads the input as NCHW-contiguous whatever its strides
        # (a channels-last input gave wrong results, silently)
        return modulated_deform_conv2d(x.contiguous(), offset, mask,
                                       self.weight, self.bias, self.stride,
                                       self.padding, self.dilation,
                                       self.groups, self.deform_groups)

    def _use_cpu_inference_kernel(self, x):
        # grid_sample's align_corners mapping needs two pixels per side
        return (self.cpu_inference_kernel and x.device.type == 'cpu'
                and not torch.is_grad_enabled() and self.groups == 1
                and min(x.shape[2:]) > 1 and not torch.jit.is_tracing()
                and not torch.jit.is_scripting())

    def extra_repr(self):
        return (f'{self.in_channels}, {self.out_channels}, '
                f'kernel_size={self.kernel_size}, stride={self.stride}, '
                f'padding={self.padding}, dilation={self.dilation}, '
                f'groups={self.groups}, deform_groups={self.deform_groups}, '
                f'bias={self.bias is not None}, '
                f'mask_scale={self.mask_scale}')
