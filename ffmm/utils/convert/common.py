"""Shared pieces of the checkpoint converters."""
import re

import torch
from mmengine.logging import print_log

# Buffers that FLOP/parameter profilers (thop) register on every module and
# that end up in checkpoints saved afterwards; they carry no weights.
PROFILING_BUFFERS = ('total_ops', 'total_params')


class CheckpointMismatchError(ValueError):
    """A converted checkpoint that does not fit the target model."""


def strip_prefix(state_dict, prefix='module.'):
    return {(k[len(prefix):] if k.startswith(prefix) else k): v
            for k, v in state_dict.items()}


def swap_background_face(tensor, num_anchors):
    """Reorder per-anchor class channels from [bg, face] to mmdet's
    [face, bg] (the reference heads put the background first)."""
    shape = tensor.shape
    return tensor.reshape(num_anchors, 2, *shape[1:]).flip(1).reshape(shape)


_HEADS = {'ClassHead': 'cls_convs', 'BboxHead': 'reg_convs',
          'LandmarkHead': 'ldm_convs'}
_HEAD_KEY = re.compile(r'^(ClassHead|BboxHead|LandmarkHead)\.(\d+)\.conv1x1\.'
                       r'(weight|bias)$')


def convert_head_key(key, value):
    """Map a reference ``ClassHead/BboxHead/LandmarkHead.i.conv1x1.*`` entry;
    returns None for other keys."""
    m = _HEAD_KEY.match(key)
    if m is None:
        return None
    head, level, kind = m.groups()
    if head == 'ClassHead':
        value = swap_background_face(value, value.shape[0] // 2)
    return f'bbox_head.{_HEADS[head]}.{level}.{kind}', value


_SSH_BRANCHES = {'conv3X3': 'conv3x3', 'conv5X5_1': 'conv5x5_1',
                 'conv5X5_2': 'conv5x5_2', 'conv7X7_2': 'conv7x7_2',
                 'conv7x7_3': 'conv7x7_3'}


def ssh_branch_name(name):
    return _SSH_BRANCHES[name]


def check_fits(converted, target, source='checkpoint', limit=5):
    """Raise CheckpointMismatchError naming the first mismatching keys."""
    missing = [k for k in target if k not in converted]
    unexpected = [k for k in converted if k not in target]
    wrong = [
        f'{k}: checkpoint {tuple(converted[k].shape)} vs model '
        f'{tuple(target[k].shape)}' for k in target
        if k in converted and tuple(converted[k].shape) != tuple(
            target[k].shape)
    ]
    problems = []
    for name, items in (('missing', missing), ('unexpected', unexpected),
                        ('shape mismatch', wrong)):
        if items:
            more = f' (+{len(items) - limit} more)' if len(items) > limit \
                else ''
            problems.append(f'{name}: ' + ', '.join(items[:limit]) + more)
    if problems:
        raise CheckpointMismatchError(
            f'{source} does not fit the model: ' + '; '.join(problems))


def drop_profiling_buffers(state_dict, source='checkpoint'):
    """Remove ``total_ops`` / ``total_params`` entries at any depth, logging
    how many were dropped."""
    kept = {k: v for k, v in state_dict.items()
            if k.rsplit('.', 1)[-1] not in PROFILING_BUFFERS}
    dropped = len(state_dict) - len(kept)
    if dropped:
        print_log(f'{source}: dropped {dropped} profiling buffers '
                  f'({" / ".join(PROFILING_BUFFERS)})', logger='current')
    return kept


def load_reference_state_dict(path):
    """Load a reference checkpoint (bare state dict or {'state_dict': ...}),
    without the ``module.`` prefix and profiling buffers."""
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    if isinstance(ckpt, dict) and 'state_dict' in ckpt:
        ckpt = ckpt['state_dict']
    if not isinstance(ckpt, dict) or not all(
            torch.is_tensor(v) for v in ckpt.values()):
        raise CheckpointMismatchError(f'{path} is not a state dict of tensors')
    return drop_profiling_buffers(strip_prefix(ckpt), source=path)


def head_width(state_dict):
    """Input channels of the reference class head (the neck width C), or
    None when the state dict has no ``ClassHead.0.conv1x1.weight``."""
    weight = state_dict.get('ClassHead.0.conv1x1.weight')
    return None if weight is None else int(weight.shape[1])
