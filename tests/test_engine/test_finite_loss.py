"""Training stops on a NaN/inf loss before a checkpoint of it is written."""
import glob
import os.path as osp
from types import SimpleNamespace

import pytest
import torch

from ffmm.engine.hooks import FiniteLossHook, NonFiniteLossError

from ..conftest import run_tool
from .test_train_resume import write_config


def runner_at(iteration):
    return SimpleNamespace(iter=iteration)


def test_hook_names_iteration_and_non_finite_terms():
    hook = FiniteLossHook()
    outputs = dict(loss=torch.tensor(float('nan')),
                   loss_cls=torch.tensor(0.5),
                   loss_ldm=torch.tensor(float('inf')))
    with pytest.raises(NonFiniteLossError,
                       match=r'iteration 8: .*loss=nan, loss_ldm=inf'):
        hook.after_train_iter(runner_at(7), 0, outputs=outputs)
    hook.after_train_iter(runner_at(7), 0, outputs=dict(
        loss=torch.tensor(1.0)))  # finite: nothing happens


def test_hook_refuses_to_save_non_finite_weights():
    state = dict(w=torch.tensor([1.0, float('nan')]))
    with pytest.raises(NonFiniteLossError, match='weight w holds NaN'):
        FiniteLossHook().before_save_checkpoint(
            runner_at(3), dict(state_dict=state))


def test_training_with_inf_loss_stops_without_checkpoint(
        mini_widerface, tmp_path, one_thread):
    config = tmp_path / 'inf.py'
    write_config(config, mini_widerface + '/', 3)
    with open(config, 'a') as f:  # an inf loss from the first iteration
        f.write("model['bbox_head'] = dict(loss_ldm=dict(loss_weight="
                "float('inf')))\n"
                "default_hooks['checkpoint']['interval'] = 1\n")
    work = str(tmp_path / 'work')
    proc = run_tool('tools/train.py', str(config), '--work-dir', work,
                    check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'iteration 1: the loss is not finite' in out, out[-3000:]
    assert not glob.glob(osp.join(work, '*.pth'))
