"""A short CPU training run: loss falls, checkpoints appear, resume works."""
import json
import os.path as osp
from glob import glob

import torch

import ffmm  # noqa: F401  (allowlists mmengine checkpoint types for torch.load)

from ..conftest import REPO, SHARED, run_tool

PRETRAINED = osp.join(SHARED, 'weights', 'mobilenetV1X0.25_pretrain.tar')


def write_config(path, data_root, max_iters):
    pretrained = PRETRAINED if osp.exists(PRETRAINED) else 'absent.tar'
    base = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_mini.py')
    path.write_text(f'''
_base_ = {base!r}
img_size = 160
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadFaceAnnotations'),
    dict(type='RandomSquareCrop', out_size=img_size),
    dict(type='FaceRandomFlip', prob=0.5),
    dict(type='FaceResize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='PackFaceInputs'),
]
model = dict(backbone=dict(init_cfg=dict(checkpoint={pretrained!r})))
train_dataloader = dict(batch_size=4, dataset=dict(
    data_root={data_root!r}, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(data_root={data_root!r}))
test_dataloader = val_dataloader
train_cfg = dict(max_iters={max_iters}, val_interval=1000)
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=10, max_keep_ckpts=5))
randomness = dict(seed=0)
''')
    return str(path)


def logged_losses(work_dir):
    losses = []
    for scalars in sorted(glob(osp.join(work_dir, '*', 'vis_data',
                                        'scalars.json'))):
        with open(scalars) as f:
            losses += [json.loads(line)['loss'] for line in f
                       if '"loss"' in line]
    return losses


def test_training_lowers_loss_and_resume_continues(mini_widerface, tmp_path):
    work = str(tmp_path / 'work')
    run_tool('tools/train.py',
             write_config(tmp_path / 'a.py', mini_widerface + '/', 30),
             '--work-dir', work)
    losses = logged_losses(work)
    assert len(losses) == 30
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5, losses
    assert osp.exists(osp.join(work, 'iter_30.pth'))

    proc = run_tool('tools/train.py',
                    write_config(tmp_path / 'b.py', mini_widerface + '/', 40),
                    '--work-dir', work, '--resume')
    log = proc.stdout + proc.stderr
    assert 'resumed' in log.lower()
    assert 'the skipped batches are not loaded' in log  # fast resume
    ckpt = torch.load(osp.join(work, 'iter_40.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 40
    # the resumed run trained iterations 31..40 only
    assert len(logged_losses(work)) == 40
