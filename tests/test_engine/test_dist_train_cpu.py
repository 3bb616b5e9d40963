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


def test_two_process_cpu_training(mini_widerface, tmp_path, one_thread):
    config = write_config(tmp_path / 'tiny.py', mini_widerface + '/', 2)
    with open(config, 'a') as f:
        f.write("train_dataloader['batch_size'] = 2\n"
                'val_dataloader = val_cfg = val_evaluator = None\n'
                "env_cfg = dict(dist_cfg=dict(backend='nccl'))\n")
    work = str(tmp_path / 'work')
    env = dict(os.environ, PYTHON=sys.executable, PORT=str(free_port()),
               OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
    proc = subprocess.run(
        ['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert 'Distributed training: True' in out
    assert out.count("backend 'nccl' -> 'gloo'") == 2  # one per process
    ckpt = torch.load(osp.join(work, 'iter_2.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 2
    assert all(torch.isfinite(v).all() for v in ckpt['state_dict'].values()
               if v.is_floating_point())
