"""publish_model.py on a checkpoint as mmengine's runner saves it."""
import os
import subprocess
import sys

import torch
from mmengine.logging import HistoryBuffer

from ffmm.analysis import deployable_config

CONFIG = 'configs/featherface/ffv2_ultra_deploy_student.py'
TOOL = 'tools/model_converters/publish_model.py'


def run_tool(*args):
    return subprocess.run([sys.executable, TOOL, *map(str, args)],
                          capture_output=True, text=True,
                          env={**os.environ, 'OMP_NUM_THREADS': '1'})


def build_student():
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    cfg = deployable_config(CONFIG)
    init_default_scope('mmdet')
    return MODELS.build(cfg.model)


def test_publishes_a_training_checkpoint(tmp_path):
    student = build_student()
    loss = HistoryBuffer()
    loss.update(1.5)
    state = {'student.' + k: v for k, v in student.state_dict().items()}
    # what the runner saves besides the weights: the message hub holds
    # HistoryBuffers and meta numpy values (weights-only torch.load refuses
    # both unless allowlisted)
    ckpt = dict(state_dict=state,
                meta=dict(iter=1600, seed=torch.tensor(0).numpy(),
                          dataset_meta=dict(classes=('face', ))),
                message_hub=dict(log_scalars=dict(loss=loss)),
                optimizer=dict(state={}))
    src, out = tmp_path / 'iter_1600.pth', tmp_path / 'published.pth'
    torch.save(ckpt, src)
    proc = run_tool(CONFIG, src, out)
    assert proc.returncode == 0, proc.stderr
    assert '241,388 parameters' in proc.stdout
    published = torch.load(out, map_location='cpu', weights_only=True)
    assert set(published) == {'state_dict', 'meta'}
    assert published['meta']['iter'] == 1600
    student.load_state_dict(published['state_dict'], strict=True)
    # never overwritten
    before = out.read_bytes()
    again = run_tool(CONFIG, src, out)
    assert again.returncode != 0 and 'not overwriting' in again.stderr
    assert out.read_bytes() == before


def test_unreadable_checkpoint_is_named(tmp_path):
    bad = tmp_path / 'broken.pth'
    bad.write_bytes(b'not a checkpoint')
    proc = run_tool(CONFIG, bad, tmp_path / 'out.pth')
    assert proc.returncode != 0
    assert 'broken.pth' in proc.stderr and 'Traceback' not in proc.stderr
    assert not (tmp_path / 'out.pth').exists()
