"""FeatherFace V1 reference checkpoint -> ffmm (MobileNetV1 + FeatherFaceNeck
+ FaceAnchorHead).

Reference layout (``models/retinaface.py`` of the public FeatherFace code)
and where each part goes:

=====================================  =====================================
``body.*``                             ``backbone.*``
``bacbkbone_{i}_cbam.*``               ``neck.backbone_cbam.{i}.*``
``bifpn.{j}.*``                        ``neck.bifpn.cells.{j}.*``
``bif_cbam_{i}.*``                     ``neck.bifpn_cbam.{i}.*``
``ssh{i+1}.<branch>.{0,1}.*``          ``neck.ssh.{i}.<branch>.{conv,bn}.*``
``ssh{i+1}_cs.{1..6}.*``               ``neck.channel_shuffle.{i}.*``
``ClassHead/BboxHead/LandmarkHead``    ``bbox_head.{cls,reg,ldm}_convs``
=====================================  =====================================

Each deformable conv's ``offset_conv`` (2k^2 channels) and ``modulator_conv``
(k^2 channels) are concatenated, in that order, into ``conv_offset`` of
:class:`ScaledModulatedDeformConv2d`; ``regular_conv`` becomes its
``weight``. Classifier channels are reordered per anchor from the
reference's [background, face] to mmdet's [face, background]. Nothing
depends on the width C, so checkpoints of any width convert.
"""
import re

import torch

from .common import (CheckpointMismatchError, check_fits, convert_head_key,
                     ssh_branch_name, strip_prefix)

_CBAM_PARTS = {
    'ChannelGate.mlp.1': 'channel_gate.fc1',
    'ChannelGate.mlp.3': 'channel_gate.fc2',
    'SpatialGate.spatial.conv': 'spatial_gate.conv',
    'SpatialGate.spatial.bn': 'spatial_gate.bn',
}
_CBAM = re.compile(r'^(?:bacbkbone_(\d)_cbam|bif_cbam_(\d))\.'
                   r'(.+)\.([a-z_]+)$')

_FUSE = {'p4_w1': 'fuse_p4_td', 'p3_w1': 'fuse_p3_out',
         'p4_w2': 'fuse_p4_out', 'p5_w2': 'fuse_p5_out'}
_SEP = {'conv4_up': 'conv_p4_td', 'conv3_up': 'conv_p3_out',
        'conv4_down': 'conv_p4_out', 'conv5_down': 'conv_p5_out'}
_PROJ = {'p3_down_channel': 'in_projs.0', 'p4_down_channel': 'in_projs.1',
         'p5_down_channel': 'in_projs.2', 'p4_down_channel_2': 'skip_projs.0',
         'p5_down_channel_2': 'skip_projs.1'}
_BIFPN_W = re.compile(r'^bifpn\.(\d+)\.(p\d_w\d)$')
_BIFPN_SEP = re.compile(r'^bifpn\.(\d+)\.(conv\d_(?:up|down))\.'
                        r'(depthwise_conv\.conv|pointwise_conv\.conv|bn)\.'
                        r'(.+)$')
_BIFPN_PROJ = re.compile(r'^bifpn\.(\d+)\.(p\d_down_channel(?:_2)?)\.'
                         r'(0\.conv|1)\.(.+)$')

_SSH_DCN = re.compile(r'^ssh(\d)\.(\w+?)\.0\.(offset_conv|modulator_conv|'
                      r'regular_conv)\.(weight|bias)$')
_SSH_BN = re.compile(r'^ssh(\d)\.(\w+?)\.1\.(.+)$')
_SHUFFLE = re.compile(r'^ssh(\d)_cs\.(\d)\.(.+)$')
_SHUFFLE_PARTS = {'1': 'conv1.conv', '2': 'conv1.bn', '3': 'dwconv.conv',
                  '4': 'dwconv.bn', '5': 'conv2.conv', '6': 'conv2.bn'}


def _convert_key(key):
    """New key for a one-to-one reference entry, or None."""
    if key.startswith('body.'):
        return 'backbone.' + key[5:]
    m = _CBAM.match(key)
    if m:
        on_backbone, on_bifpn, part, leaf = m.groups()
        if part not in _CBAM_PARTS:
            return None
        group, idx = (('backbone_cbam', on_backbone) if on_backbone else
                      ('bifpn_cbam', on_bifpn))
        return f'neck.{group}.{idx}.{_CBAM_PARTS[part]}.{leaf}'
    m = _BIFPN_W.match(key)
    if m and m.group(2) in _FUSE:
        return f'neck.bifpn.cells.{m.group(1)}.{_FUSE[m.group(2)]}.weight'
    m = _BIFPN_SEP.match(key)
    if m and m.group(2) in _SEP:
        cell, name, part, leaf = m.groups()
        part = part.replace('.conv', '')
        return f'neck.bifpn.cells.{cell}.{_SEP[name]}.{part}.{leaf}'
    m = _BIFPN_PROJ.match(key)
    if m and m.group(2) in _PROJ:
        cell, name, part, leaf = m.groups()
        part = 'conv' if part == '0.conv' else 'bn'
        return f'neck.bifpn.cells.{cell}.{_PROJ[name]}.{part}.{leaf}'
    m = _SSH_BN.match(key)
    if m:
        idx, branch, leaf = m.groups()
        return (f'neck.ssh.{int(idx) - 1}.{ssh_branch_name(branch)}.bn.'
                f'{leaf}')
    m = _SHUFFLE.match(key)
    if m and m.group(2) in _SHUFFLE_PARTS:
        idx, part, leaf = m.groups()
        return (f'neck.channel_shuffle.{int(idx) - 1}.'
                f'{_SHUFFLE_PARTS[part]}.{leaf}')
    return None


def convert_featherface(state_dict, target_state_dict=None):
    """Rename a FeatherFace V1 reference state dict to ffmm's layout.

    Args:
        state_dict (dict): reference state dict (a leading ``module.`` is
            stripped).
        target_state_dict (dict, optional): the ffmm model's state dict; when
            given, the result is checked against it (missing, unexpected and
            mis-shaped keys).

    Raises:
        CheckpointMismatchError: for keys that are not part of a FeatherFace
            V1 checkpoint, incomplete deformable convs, or (with
            ``target_state_dict``) a result that does not fit the model.
    """
    state_dict = strip_prefix(dict(state_dict))
    out, dcn, unknown = {}, {}, []
    for key, value in state_dict.items():
        head = convert_head_key(key, value)
        if head is not None:
            out[head[0]] = head[1]
            continue
        m = _SSH_DCN.match(key)
        if m:
            try:
                branch = ssh_branch_name(m.group(2))
            except KeyError:
                unknown.append(key)
                continue
            prefix = f'neck.ssh.{int(m.group(1)) - 1}.{branch}.conv'
            dcn.setdefault(prefix, {})[(m.group(3), m.group(4))] = value
            continue
        try:
            new = _convert_key(key)
        except KeyError:  # an unknown SSH branch name
            new = None
        if new is None:
            unknown.append(key)
        else:
            out[new] = value
    if unknown:
        more = f' (+{len(unknown) - 5} more)' if len(unknown) > 5 else ''
        raise CheckpointMismatchError(
            'not a FeatherFace V1 checkpoint; unexpected keys: ' +
            ', '.join(unknown[:5]) + more)

    for prefix, parts in dcn.items():
        need = [('offset_conv', 'weight'), ('offset_conv', 'bias'),
                ('modulator_conv', 'weight'), ('modulator_conv', 'bias'),
                ('regular_conv', 'weight')]
        lacking = [f'{a}.{b}' for a, b in need if (a, b) not in parts]
        if lacking:
            raise CheckpointMismatchError(
                f'deformable conv {prefix} lacks ' + ', '.join(lacking))
        for leaf in ('weight', 'bias'):
            out[f'{prefix}.conv_offset.{leaf}'] = torch.cat(
                [parts[('offset_conv', leaf)],
                 parts[('modulator_conv', leaf)]], dim=0)
        out[f'{prefix}.weight'] = parts[('regular_conv', 'weight')]
        if ('regular_conv', 'bias') in parts:
            out[f'{prefix}.bias'] = parts[('regular_conv', 'bias')]

    if target_state_dict is not None:
        check_fits(out, target_state_dict, source='FeatherFace checkpoint')
    return out
