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


def ema_run_checkpoint(path, student):
    """A checkpoint as a run with mmengine's EMAHook saves it: the hook
    swaps the average into ``state_dict`` and keeps the trained weights in
    ``ema_state_dict``. Here the average is ``student`` and the trained
    weights are ``student`` + 1."""
    from mmdet.models.layers import ExpMomentumEMA
    from mmengine.hooks import EMAHook
    holder = torch.nn.Module()  # a distiller's layout: student.*
    holder.student = student
    hook = EMAHook()
    hook.ema_model = ExpMomentumEMA(holder, update_buffers=True)
    with torch.no_grad():
        for p in holder.parameters():
            p.add_(1.0)
    checkpoint = dict(state_dict=holder.state_dict(), meta=dict(iter=800))
    hook.before_save_checkpoint(None, checkpoint)
    torch.save(checkpoint, path)
    return path


def test_publishes_the_average_or_the_trained_weights(tmp_path):
    student = build_student()
    average = {k: v.clone() for k, v in student.state_dict().items()}
    src = ema_run_checkpoint(tmp_path / 'iter_800.pth', student)
    trained = student.state_dict()
    key = 'bbox_head.cls_convs.0.weight'
    assert not torch.equal(average[key], trained[key])
    for flag, expected, name in (([], average, 'weight average'),
                                 (['--raw'], trained, 'trained')):
        out = tmp_path / f'published{len(flag)}.pth'
        proc = run_tool('publish_model.py', CONFIG, src, out, *flag)
        assert proc.returncode == 0, proc.stderr
        published = torch.load(out, map_location='cpu', weights_only=True)
        assert published['meta']['weights'] == name
        assert set(published['state_dict']) == set(expected)
        for k, v in published['state_dict'].items():
            assert torch.equal(v, expected[k]), (name, k)


def test_raw_of_a_run_without_average_is_refused(tmp_path):
    src = runner_checkpoint(tmp_path / 'iter_1600.pth', build_student())
    proc = run_tool('publish_model.py', CONFIG, src, tmp_path / 'out.pth',
                    '--raw')
    assert proc.returncode != 0
    assert 'iter_1600.pth' in proc.stderr and 'ema_state_dict' in proc.stderr
    assert not (tmp_path / 'out.pth').exists()
