"""train_cfg.max_iters=N on a mini config rescales warm-up, cosine and the
end-of-run validation/checkpoint intervals to the N iterations."""
import copy
import json
import os.path as osp
from glob import glob
from types import SimpleNamespace

from mmengine.config import Config
from mmengine.hooks import CheckpointHook

import ffmm  # noqa: F401
from ffmm.engine.scaled_iter_loop import ScaledIterBasedTrainLoop

from ..conftest import REPO, run_tool

MINI = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_mini.py')


def test_schedule_and_intervals_follow_the_run_length():
    cfg = Config.fromfile(MINI)
    assert cfg.max_iters == 150 and cfg.train_cfg.max_iters == 150
    runner = SimpleNamespace(
        cfg=cfg, param_schedulers=copy.deepcopy(cfg.param_scheduler),
        hooks=[CheckpointHook(interval=150, by_epoch=False),
               CheckpointHook(interval=10, by_epoch=False)])
    val_interval = ScaledIterBasedTrainLoop._rescale(runner, 150, 30, 150)
    warmup, cosine = runner.param_schedulers
    assert (warmup['begin'], warmup['end']) == (0, 4)
    assert (cosine['begin'], cosine['end']) == (4, 30)
    # a very short run keeps a 2-iteration warm-up that reaches the lr
    runner.param_schedulers = copy.deepcopy(cfg.param_scheduler)
    ScaledIterBasedTrainLoop._rescale(runner, 150, 4, 150)
    assert [(s['begin'], s['end']) for s in runner.param_schedulers] == \
        [(0, 2), (2, 4)]
    assert val_interval == 30
    # "at the end" follows the run; an explicit other interval is kept
    assert [h.interval for h in runner.hooks] == [30, 10]


def test_short_run_leaves_warm_up(mini_widerface, tmp_path, one_thread):
    work = str(tmp_path / 'work')
    root = mini_widerface + '/'
    proc = run_tool(
        'tools/train.py', MINI, '--work-dir', work, '--cfg-options',
        'train_cfg.max_iters=4', 'train_dataloader.batch_size=2',
        'model.backbone.init_cfg=None', 'default_hooks.logger.interval=1',
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        'val_dataloader.dataset.indices=1')
    assert 'rescaled' in proc.stdout + proc.stderr
    with open(glob(osp.join(work, '*', 'vis_data', 'scalars.json'))[0]) as f:
        lrs = [json.loads(ln)['lr'] for ln in f if '"lr"' in ln]
    # the 20-iteration warm-up would have kept lr below 0.25 x 2e-3
    assert len(lrs) == 4 and max(lrs) > 1e-3, lrs
    assert osp.exists(osp.join(work, 'iter_4.pth'))
