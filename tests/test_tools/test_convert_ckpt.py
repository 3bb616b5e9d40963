"""tools/convert_ckpt.py on checkpoints as they are found in the wild:
profiling buffers, other widths, the public trained FeatherFace V1."""
import pytest
import torch

from ffmm.utils.convert import (CheckpointMismatchError, head_width,
                                load_reference_state_dict)
from ..conftest import load_script, run_tool, shared_file
from ..test_models.test_featherface_v1 import (build_model,
                                               random_reference_state_dict)


def load_tool():
    return load_script('tools', 'convert_ckpt.py')


def with_profiling_buffers(state_dict):
    """What thop leaves: total_ops / total_params on every module."""
    out = {'total_ops': torch.zeros(1), 'total_params': torch.zeros(1)}
    for key, value in state_dict.items():
        module = key.rsplit('.', 1)[0]
        out[f'{module}.total_ops'] = torch.zeros(1, dtype=torch.float64)
        out[f'{module}.total_params'] = torch.zeros(1, dtype=torch.float64)
        out[key] = value
    return out


def test_profiling_buffers_dropped(tmp_path):
    clean = random_reference_state_dict(52)
    path = tmp_path / 'ref.pth'
    torch.save(with_profiling_buffers(clean), path)
    loaded = load_reference_state_dict(str(path))
    assert loaded.keys() == clean.keys()
    # anything else unknown is still refused
    odd = dict(clean, **{'body.stage1.0.0.running_flops': torch.zeros(1)})
    torch.save(odd, path)
    with pytest.raises(CheckpointMismatchError, match='running_flops'):
        load_tool().CONVERTERS['featherface'](
            load_reference_state_dict(str(path)), build_model(52).state_dict())


def test_width_picks_the_config():
    tool = load_tool()
    assert head_width(random_reference_state_dict(52)) == 52
    assert tool.default_config(
        'featherface', random_reference_state_dict(52)).endswith(
            'featherface_v1_c52.py')
    assert tool.default_config(
        'featherface', random_reference_state_dict(64)).endswith(
            'featherface_v1.py')
    with pytest.raises(CheckpointMismatchError,
                       match=r'C = 40.*featherface_v1_c52\.py.*--config'):
        tool.default_config('featherface', random_reference_state_dict(40))


def test_c52_converts_without_config(tmp_path, one_thread):
    src, dst = tmp_path / 'c52.pth', tmp_path / 'out' / 'c52_ffmm.pth'
    clean = random_reference_state_dict(52)
    torch.save(with_profiling_buffers(clean), src)
    proc = run_tool('tools/convert_ckpt.py', '--from', 'featherface',
                    str(src), str(dst))
    assert 'featherface_v1_c52.py' in proc.stdout
    n = len(with_profiling_buffers(clean)) - len(clean)
    assert f'dropped {n} profiling buffers' in proc.stdout + proc.stderr
    state = torch.load(dst, map_location='cpu', weights_only=True)
    build_model(52).load_state_dict(state['state_dict'], strict=True)


def test_public_trained_v1_converts(tmp_path, one_thread):
    src = shared_file('weights', 'featherface_v1_widerface.pth')
    dst = tmp_path / 'v1.pth'
    proc = run_tool('tools/convert_ckpt.py', '--from', 'featherface', src,
                    str(dst))
    assert 'dropped 248 profiling buffers' in proc.stdout + proc.stderr
    state = torch.load(dst, map_location='cpu', weights_only=True)
    build_model(64).load_state_dict(state['state_dict'], strict=True)
