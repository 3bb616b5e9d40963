"""Pytorch_Retinaface (MobileNet-0.25) checkpoint -> ffmm RetinaFace."""
import re

from .common import CheckpointMismatchError, convert_head_key, ssh_branch_name

_FPN = re.compile(r'^fpn\.(output|merge)(\d)\.(0|1)\.(.+)$')
_SSH = re.compile(r'^ssh(\d)\.(\w+?)\.(0|1)\.(.+)$')


def convert_retinaface(state_dict):
    """Rename a Pytorch_Retinaface state dict to ffmm's layout."""
    out = {}
    for key, value in state_dict.items():
        head = convert_head_key(key, value)
        if head is not None:
            out[head[0]] = head[1]
            continue
        if key.startswith('body.'):
            out['backbone.' + key[5:]] = value
            continue
        layer = {'0': 'conv', '1': 'bn'}
        m = _FPN.match(key)
        if m:
            kind, idx, part, rest = m.groups()
            group = 'lateral_convs' if kind == 'output' else 'merge_convs'
            out[f'neck.{group}.{int(idx) - 1}.{layer[part]}.{rest}'] = value
            continue
        m = _SSH.match(key)
        if m:
            idx, branch, part, rest = m.groups()
            out[f'neck.ssh.{int(idx) - 1}.{ssh_branch_name(branch)}.'
                f'{layer[part]}.{rest}'] = value
            continue
        raise CheckpointMismatchError(
            f'unexpected key {key!r} for a Pytorch_Retinaface checkpoint')
    return out
