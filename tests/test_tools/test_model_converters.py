"""publish_model.py and extract_student.py on a checkpoint as mmengine's
runner saves it, each in a fresh process (the weights-only loader's
allowlist is per process: an in-process run would inherit another test's)."""
import os
import subprocess
import sys

import torch
from mmengine.logging import HistoryBuffer

from ffmm.analysis import deployable_config

CONFIG = 'configs/featherface/ffv2_ultra_student.py'
TOOLS = 'tools/model_converters/'


def run_tool(tool, *args):
    return subprocess.run([sys.executable, TOOLS + tool, *map(str, args)],
                          capture_output=True, text=True,
                          env={**os.environ, 'OMP_NUM_THREADS': '1'})


def build_student():
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    cfg = deployable_config(CONFIG)
    init_default_scope('mmdet')
    return MODELS.build(cfg.model)


def runner_checkpoint(path, student):
    """A distillation checkpoint with what the runner saves besides the
    weights: the message hub's HistoryBuffers and numpy values in meta
    (weights-only torch.load refuses both unless allowlisted)."""
    loss = HistoryBuffer()
    loss.update(1.5)
    state = {'student.' + k: v for k, v in student.state_dict().items()}
    torch.save(dict(state_dict=state,
                    meta=dict(iter=1600, seed=torch.tensor(0).numpy(),
                              dataset_meta=dict(classes=('face', ))),
                    message_hub=dict(log_scalars=dict(loss=loss)),
                    optimizer=dict(state={})), path)
    return path


def test_publishes_a_training_checkpoint(tmp_path):
    student = build_student()
    src = runner_checkpoint(tmp_path / 'iter_1600.pth', student)
    out = tmp_path / 'published.pth'
    proc = run_tool('publish_model.py', CONFIG, src, out)
    assert proc.returncode == 0, proc.stderr
    assert '241,388 parameters' in proc.stdout
    published = torch.load(out, map_location='cpu', weights_only=True)
    assert set(published) == {'state_dict', 'meta'}
    assert published['meta']['iter'] == 1600
    student.load_state_dict(published['state_dict'], strict=True)
    # never overwritten
    before = out.read_bytes()
    again = run_tool('publish_model.py', CONFIG, src, out)
    assert again.returncode != 0 and 'not overwriting' in again.stderr
    assert out.read_bytes() == before


def test_unreadable_checkpoint_is_named(tmp_path):
    bad = tmp_path / 'broken.pth'
    bad.write_bytes(b'not a checkpoint')
    proc = run_tool('publish_model.py', CONFIG, bad, tmp_path / 'out.pth')
    assert proc.returncode != 0
    assert 'broken.pth' in proc.stderr and 'Traceback' not in proc.stderr
    assert not (tmp_path / 'out.pth').exists()


def test_extracts_the_student_of_a_training_checkpoint(tmp_path):
    student = build_student()
    src = runner_checkpoint(tmp_path / 'iter_1600.pth', student)
    out = tmp_path / 'student.pth'
    proc = run_tool('extract_student.py', src, out)
    assert proc.returncode == 0, proc.stderr
    extracted = torch.load(out, map_location='cpu', weights_only=True)
    student.load_state_dict(extracted['state_dict'], strict=True)
