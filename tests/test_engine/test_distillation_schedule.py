"""Temperature/alpha schedule, its hook and a short distillation run."""
import json
import os.path as osp
from glob import glob
from types import SimpleNamespace

import pytest
import torch
from mmdet.registry import HOOKS, MODELS
from mmengine.config import Config
from mmengine.logging import MessageHub, MMLogger
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

import ffmm  # noqa: F401
from ffmm.engine.hooks.distillation_schedule_hook import (DEFAULT_SCHEDULE,
                                                          schedule_value)
from ffmm.engine.hooks.distiller_checkpoint_hook import \
    merge_legacy_distill_state
from ffmm.utils.checkpoint_load import student_state_dict

from ..conftest import REPO

KD_CONFIG = osp.join(
    REPO, 'configs/distillation/retinaface_c32_from_retinaface_mini.py')
KD_DEFAULT = osp.join(REPO, 'configs/_base_/distillation/kd_default.py')


@pytest.mark.parametrize('epoch,expected', [
    (1, (6.0, 0.9)), (100, (6.0, 0.9)), (101, (4.0, 0.7)),
    (200, (4.0, 0.7)), (201, (2.0, 0.5)), (300, (2.0, 0.5)),
    (301, (1.0, 0.3)), (400, (1.0, 0.3)), (450, (1.0, 0.3))])
def test_default_schedule_at_epoch_boundaries(epoch, expected):
    assert schedule_value(DEFAULT_SCHEDULE, epoch) == expected
    # the config's schedule is the same
    schedule = Config.fromfile(KD_DEFAULT).kd_schedule
    assert schedule_value(schedule, epoch) == expected


def test_schedule_scaled_to_a_short_run():
    scale = 400 / 300  # the 400-epoch schedule over 300 iterations
    got = {it: schedule_value(DEFAULT_SCHEDULE, it, scale)
           for it in (1, 75, 76, 150, 151, 225, 226, 300)}
    assert got == {1: (6.0, 0.9), 75: (6.0, 0.9), 76: (4.0, 0.7),
                   150: (4.0, 0.7), 151: (2.0, 0.5), 225: (2.0, 0.5),
                   226: (1.0, 0.3), 300: (1.0, 0.3)}


class FakeDistiller:

    def __init__(self):
        self.temperature, self.alpha = None, None

    def set_distill_params(self, temperature=None, alpha=None):
        self.temperature, self.alpha = temperature, alpha


def fake_runner(name, **kwargs):
    return SimpleNamespace(
        model=FakeDistiller(),
        message_hub=MessageHub.get_instance(name),
        logger=MMLogger.get_current_instance(),
        **kwargs)


def test_hook_sets_and_logs_values_by_epoch():
    hook = HOOKS.build(dict(type='DistillationScheduleHook', by_epoch=True))
    runner = fake_runner('kd_sched_epoch', epoch=0, iter=0, max_epochs=400)
    for epoch, expected in ((1, (6.0, 0.9)), (100, (6.0, 0.9)),
                            (101, (4.0, 0.7)), (201, (2.0, 0.5)),
                            (301, (1.0, 0.3)), (400, (1.0, 0.3))):
        runner.epoch = epoch - 1  # runner.epoch counts finished epochs
        hook.before_train_epoch(runner)
        hook.before_train_iter(runner, 0)
        assert (runner.model.temperature, runner.model.alpha) == expected
        hub = runner.message_hub
        assert hub.get_scalar('train/distill/temperature').current() == \
            expected[0]
        assert hub.get_scalar('train/distill/alpha').current() == expected[1]


def test_hook_by_iteration_with_auto_scale():
    hook = HOOKS.build(dict(type='DistillationScheduleHook', by_epoch=False,
                            scale='auto'))
    runner = fake_runner('kd_sched_iter', epoch=0, iter=0, max_iters=40)
    seen = []
    for it in range(40):
        runner.iter = it
        hook.before_train_iter(runner, it)
        seen.append((runner.model.temperature, runner.model.alpha))
    assert seen[0] == seen[9] == (6.0, 0.9)
    assert seen[10] == seen[19] == (4.0, 0.7)
    assert seen[20] == (2.0, 0.5) and seen[39] == (1.0, 0.3)


def test_legacy_distill_state_is_merged_back():
    # checkpoints written before the plain layout kept adapters and EMA
    # teacher beside the state dict
    ckpt = dict(state_dict={'backbone.w': torch.ones(1)},
                distill_state_dict={
                    'distill_adapters.t0.neck.0.w': torch.zeros(1),
                    'distill_ema.backbone.w': torch.ones(2)})
    merged = merge_legacy_distill_state(ckpt)
    assert set(merged['state_dict']) == {
        'backbone.w', 'distill_adapters.t0.neck.0.w',
        'distill_ema.backbone.w'}
    assert 'distill_state_dict' not in merged
    # a checkpoint of the current layout is left as it is
    plain = dict(state_dict={'student.backbone.w': torch.ones(1)})
    assert merge_legacy_distill_state(dict(plain)) == plain


# ------------------------------------------------------- a short real run
def distill_config(work_dir, data_root, teacher_ckpt, max_iters, name):
    cfg = Config.fromfile(KD_CONFIG)
    cfg.teacher_ckpt = teacher_ckpt
    cfg.model.teachers[0].checkpoint = teacher_ckpt
    cfg.model.student.backbone.init_cfg = None
    cfg.model.ema_teacher = dict(momentum=0.1, weight=0.5)
    size = 96
    cfg.train_dataloader.batch_size = 2
    cfg.train_dataloader.dataset.data_root = data_root
    cfg.train_dataloader.dataset.pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='LoadFaceAnnotations'),
        dict(type='RandomSquareCrop', out_size=size),
        dict(type='FaceResize', scale=(size, size), keep_ratio=False),
        dict(type='PackFaceInputs'),
    ]
    # no validation (the loop would run it after the last iteration)
    cfg.val_dataloader = cfg.val_evaluator = cfg.val_cfg = None
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters,
                         val_interval=1000)
    cfg.param_scheduler = [
        dict(type='ConstantLR', factor=1.0, by_epoch=False)]
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook', by_epoch=False, interval=2, max_keep_ckpts=5)
    cfg.default_hooks.visualization = dict(type='DetVisualizationHook')
    cfg.randomness = dict(seed=0)
    cfg.work_dir = work_dir
    cfg.experiment_name = name
    cfg.visualizer.name = f'visualizer_{name}'  # one per in-process run
    return cfg


def logged(work_dir, key):
    values = []
    for path in sorted(glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json'))):
        with open(path) as f:
            values += [json.loads(line)[key] for line in f
                       if f'"{key}"' in line]
    return values


def test_short_distillation_run_logs_saves_and_resumes(mini_widerface,
                                                       tmp_path):
    init_default_scope('mmdet')
    teacher_cfg = Config.fromfile(
        osp.join(REPO, 'configs/retinaface/retinaface_mnet025_widerface.py'))
    teacher_cfg.model.backbone.init_cfg = None
    teacher_ckpt = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict=MODELS.build(teacher_cfg.model).state_dict()),
               teacher_ckpt)
    work = str(tmp_path / 'work')
    data_root = mini_widerface + '/'

    runner = Runner.from_cfg(
        distill_config(work, data_root, teacher_ckpt, 4, 'kd_run_a'))
    runner.train()
    # T and alpha follow the 4-stage schedule squeezed into 4 iterations
    assert logged(work, 'distill/temperature') == [6.0, 4.0, 2.0, 1.0]
    assert logged(work, 'distill/alpha') == [0.9, 0.7, 0.5, 0.3]
    for key in ('loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat', 'loss_kd_att',
                'kd_cls', 'loss_cls'):
        assert len(logged(work, key)) == 4, key

    # the checkpoint is the distiller's plain module layout; its student
    # part loads strictly into the plain student
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu')
    state = ckpt['state_dict']
    student = MODELS.build(Config.fromfile(KD_CONFIG).model.student)
    student.load_state_dict(student_state_dict(state), strict=True)
    saved_extra = {k: v for k, v in state.items()
                   if not k.startswith('student.')}
    assert any(k.startswith('ema_teacher.') for k in saved_extra)
    assert any(k.startswith('distiller.connectors.') for k in saved_extra)
    assert not any(k.startswith('teacher') for k in state)

    # --resume restores the adapters and the EMA teacher, then continues
    cfg = distill_config(work, data_root, teacher_ckpt, 6, 'kd_run_b')
    cfg.resume = True
    resumed = Runner.from_cfg(cfg)
    resumed.load_or_resume()
    model = resumed.model
    assert resumed.iter == 4
    restored = model.state_dict()
    for k, v in saved_extra.items():
        assert torch.equal(restored[k], v), k
    resumed.train()
    assert resumed.iter == 6
    assert osp.exists(osp.join(work, 'iter_6.pth'))
