"""tools/dist_train.sh trains on 2 CPU processes (gloo) through the
normal entry point: a few iterations of a tiny config."""
import os
import os.path as osp
import socket
import subprocess
import sys

import torch

import ffmm  # noqa: F401

from ..conftest import REPO
from .test_train_resume import write_config


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def two_process_run(config, work):
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
               OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    return proc, proc.stdout + proc.stderr


def tiny_two_process_config(tmp_path, data_root, iters, extra=''):
    config = write_config(tmp_path / 'tiny.py', data_root + '/', iters)
    with open(config, 'a') as f:
        f.write("train_dataloader['batch_size'] = 2\n"
                'val_dataloader = val_cfg = val_evaluator = None\n'
                "env_cfg = dict(dist_cfg=dict(backend='nccl'))\n" + extra)
    return config


def test_two_process_cpu_training(mini_widerface, tmp_path, one_thread):
    config = tiny_two_process_config(tmp_path, mini_widerface, 2)
    work = str(tmp_path / 'work')
    proc, out = two_process_run(config, work)
    assert proc.returncode == 0, out[-4000:]
    assert 'Distributed training: True' in out
    assert out.count("backend 'nccl' -> 'gloo'") == 2  # one per process
    ckpt = torch.load(osp.join(work, 'iter_2.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 2
    assert all(torch.isfinite(v).all() for v in ckpt['state_dict'].values()
               if v.is_floating_point())


def test_two_process_training_through_a_backbone_freeze(
        mini_widerface, tmp_path, one_thread):
    """The wider_split recipes' frozen start under DDP: the frozen
    backbone gets no gradient for two iterations, then trains; the
    recipes' model_wrapper_cfg is what makes DDP accept that."""
    freeze = ("custom_hooks = [dict(type='BackboneFreezeHook', "
              'unfreeze_iter=2)]\n')
    wrapper = ("model_wrapper_cfg = dict(type='MMDistributedDataParallel', "
               'find_unused_parameters=True)\n')
    work = str(tmp_path / 'work')
    proc, out = two_process_run(tiny_two_process_config(
        tmp_path, mini_widerface, 3, freeze + wrapper), work)
    assert proc.returncode == 0, out[-4000:]
    assert 'backbone trained from iteration 2' in out  # rank 0 logs
    ckpt = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 3
    # without the wrapper setting: the hook's error, not DDP's
    proc, out = two_process_run(tiny_two_process_config(
        tmp_path, mini_widerface, 3, freeze), str(tmp_path / 'work2'))
    assert proc.returncode != 0
    assert 'BackboneFreezeHook: the frozen backbone gets no gradient' in out
