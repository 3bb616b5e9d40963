"""The fine-tune recipes of the shipped default: both start the student
from the shipped checkpoint, and the 640 one differs from its 320 control
in the crop size alone."""
import os.path as osp

import pytest
import torch

from ffmm.models.layers.ssh import grouped_to_dense
from ffmm.utils.checkpoint_load import read_checkpoint, checkpoint_state_dict
from .test_wider_split_recipes import build, cfg_of, plain, without_change
from ..conftest import REPO

FT = 'ffv2_ultra_distill_cpu_landmarks_ft'


def test_640_recipe_changes_only_the_crop_size():
    small, large = cfg_of(FT + '320'), cfg_of(FT + '640')
    big_pipeline = large.train_dataloader.dataset.pipeline
    crop, = [t for t in big_pipeline if t['type'] == 'RandomSquareCrop']
    resize, = [t for t in big_pipeline if t['type'] == 'FaceResize']
    assert crop['out_size'] == 640 and resize['scale'] == (640, 640)
    assert crop['scales'] == (0.3, 0.45, 0.6, 0.8, 1.0)  # RetinaFace's
    small_pipeline = small.train_dataloader.dataset.pipeline
    assert [t['type'] for t in small_pipeline] == [
        t['type'] for t in big_pipeline]
    for key in ('model', 'optim_wrapper', 'param_scheduler', 'train_cfg',
                'custom_hooks', 'randomness'):
        assert plain(small[key]) == plain(large[key]), key
    small.train_dataloader.dataset.pipeline = big_pipeline
    assert plain(small.train_dataloader) == plain(large.train_dataloader)


def test_finetune_continues_the_shipped_recipe():
    """The shipped model's teacher, losses and data (at batch 8), a fresh
    warm-up and cosine, no backbone freeze (its heads are trained)."""
    shipped, ft = cfg_of('ffv2_ultra_distill_cpu_landmarks_3200'), cfg_of(
        FT + '320')
    assert plain(ft.model.teachers) == plain(shipped.model.teachers)
    assert plain(ft.model.distiller) == plain(shipped.model.distiller)
    assert ft.train_dataloader.batch_size == 8
    assert plain(ft.train_dataloader.dataset) == plain(
        shipped.train_dataloader.dataset)
    assert ft.param_scheduler[-1]['end'] == ft.train_cfg.max_iters == 800
    assert 'BackboneFreezeHook' not in [h['type'] for h in ft.custom_hooks]


def test_finetune_starts_from_the_shipped_checkpoint(one_thread):
    student_cfg = cfg_of(FT + '640').model.student
    init = student_cfg.init_cfg
    assert init.type == 'Pretrained'
    assert student_cfg.backbone.init_cfg is None
    init.checkpoint = osp.join(REPO, init.checkpoint)
    student = build(student_cfg)
    student.init_weights()
    shipped = checkpoint_state_dict(read_checkpoint(init.checkpoint))
    state = student.state_dict()
    assert set(state) == set(shipped)
    for key, value in state.items():
        assert torch.equal(value, shipped[key]), key


def test_mixed_recipe_changes_only_the_resize():
    large, mixed = cfg_of(FT + '640'), cfg_of(FT + '640_mixed')
    resize, = [t for t in mixed.train_dataloader.dataset.pipeline
               if 'Resize' in t['type']]
    assert resize['type'] == 'FaceRandomChoiceResize'
    assert (resize['scale'], resize['ratios']) == ((640, 640), (0.5, 1.0))
    mixed.train_dataloader.dataset.pipeline = \
        large.train_dataloader.dataset.pipeline
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks'):
        assert plain(mixed[key]) == plain(large[key]), key


def test_lower_rate_recipe_changes_only_the_rate():
    large, low = cfg_of(FT + '640'), cfg_of(FT + '640_lr2e-4')
    assert low.optim_wrapper.optimizer.lr == 2e-4
    low.optim_wrapper.optimizer.lr = large.optim_wrapper.optimizer.lr
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks'):
        assert plain(low[key]) == plain(large[key]), key


def test_grouped_to_dense_computes_the_same_conv():
    torch.manual_seed(0)
    grouped = torch.nn.Conv2d(32, 16, 3, padding=1, groups=8)
    dense = torch.nn.Conv2d(32, 16, 3, padding=1)
    dense.weight.data = grouped_to_dense(grouped.weight.data, 32)
    dense.bias.data = grouped.bias.data
    x = torch.randn(2, 32, 5, 5)
    torch.testing.assert_close(dense(x), grouped(x))
    first_group = dense.weight[:2]  # outputs 0-1 read inputs 0-3 only
    assert (first_group[:, 4:] == 0).all() and (first_group[:, :4] != 0).all()
    with pytest.raises(ValueError, match=r'\(6, 4, 3, 3\)'):
        grouped_to_dense(torch.zeros(6, 4, 3, 3), 32)  # 8 groups, 6 outputs


def test_ssh_loads_grouped_weights_into_dense_only():
    """A plain ``load_state_dict`` of a grouped SSH into a dense one gives
    the same outputs; the other way round is refused as before."""
    from ffmm.models.layers.ssh import SSH
    torch.manual_seed(0)
    grouped, dense = SSH(32, 32, groups=8).eval(), SSH(32, 32).eval()
    dense.load_state_dict(grouped.state_dict())
    x = torch.randn(1, 32, 8, 8)
    with torch.no_grad():
        torch.testing.assert_close(dense(x), grouped(x))
    with pytest.raises(RuntimeError, match='size mismatch'):
        SSH(32, 32, groups=8).load_state_dict(SSH(32, 32).state_dict())


@pytest.mark.parametrize('variant, name', [
    ('dense_p3', 'ffv2_ultra_dense_p3_distill_cpu_landmarks_ft320'),
    ('unshared_head', FT + '320_unshared_head')])
def test_widened_finetune_starts_as_the_shipped_model(variant, name,
                                                      one_thread):
    """Every shipped weight is loaded (a grouped SSH block-diagonally into
    the dense one, the shared head into each level's), so the widened
    student detects exactly what the shipped one does."""
    base_cfg, wide_cfg = cfg_of(FT + '320'), cfg_of(name)
    assert without_change(wide_cfg, variant) == plain(base_cfg.to_dict())
    models = []
    for cfg in (base_cfg, wide_cfg):
        student_cfg = cfg.model.student
        student_cfg.init_cfg.checkpoint = osp.join(
            REPO, student_cfg.init_cfg.checkpoint)
        models.append(build(student_cfg))
        models[-1].init_weights()
        models[-1].eval()
    shipped, wide = models
    if variant == 'dense_p3':
        assert wide.neck.ssh[0].conv3x3.conv.groups == 1
    else:
        head = wide.bbox_head
        assert head.cls_convs[0] is not head.cls_convs[1]
    x = torch.randn(1, 3, 64, 96) * 50
    with torch.no_grad():
        for a, b in zip(shipped._forward(x), wide._forward(x)):
            for u, v in zip(a, b):
                torch.testing.assert_close(u, v, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('weight', [4, 8])
def test_landmark_weight_recipe_changes_only_that_weight(weight):
    base, heavy = cfg_of(FT + '320'), cfg_of(FT + f'320_ldm{weight}')
    loc = heavy.model.distiller.distill_losses.loss_kd_loc
    assert loc.loss_weight == weight and loc.bbox_weight == 0.0
    loc.loss_weight = base.model.distiller.distill_losses.loss_kd_loc[
        'loss_weight']
    assert plain(heavy.to_dict()) == plain(base.to_dict())


@pytest.mark.parametrize('name, base_name, landmark_weight', [
    (FT + '320_ldm4_ema', FT + '320_ldm4', 4.0),
    ('ffv2_ultra_distill_cpu_landmarks_3200_ldm4_ema',
     'ffv2_ultra_distill_cpu_landmarks_3200', 1.0)])
def test_weight_average_recipes_add_only_the_ema_hook(name, base_name,
                                                      landmark_weight):
    """Each adds mmdet's ExpMomentumEMA through EMAHook (the 3,200 one also
    weights the landmark term 4); nothing else of its base changes."""
    base, averaged = cfg_of(base_name), cfg_of(name)
    *hooks, ema = averaged.custom_hooks
    assert (ema['type'], ema['ema_type']) == ('EMAHook', 'ExpMomentumEMA')
    assert ema['update_buffers'] and 0 < ema['momentum'] < 0.01
    assert plain(hooks) == plain(base.custom_hooks)
    loc = averaged.model.distiller.distill_losses.loss_kd_loc
    assert loc.loss_weight == 4.0
    loc.loss_weight = landmark_weight
    averaged.custom_hooks = base.custom_hooks
    got = plain(averaged.to_dict())
    del got['weight_ema_hook']  # the shared hook definition
    assert got == plain(base.to_dict())


def test_class_kd_recipe_adds_only_the_teacher_scores():
    base, cls_kd = cfg_of(FT + '320_ldm4_ema'), cfg_of(
        FT + '320_ldm4_ema_clskd')
    losses = cls_kd.model.distiller.distill_losses
    assert plain(losses.pop('loss_kd_cls')) == dict(
        type='KDClsLoss', normalize='teacher_faces', loss_weight=1.0)
    assert base.model.distiller.distill_losses.pop('loss_kd_cls') is None
    # the labels keep their weight: no T/alpha schedule, T = 1
    assert cls_kd.model.distill_cfg == dict(alpha=1.0, temperature=1.0,
                                            balance_task=False)
    assert plain(cls_kd.to_dict()) == plain(base.to_dict())


def test_second_cycle_changes_only_the_schedule():
    """The second cycle is the averaged weight-4 fine-tune at the first
    recipe's batch, on a longer and higher cosine; its EMA keeps the shared
    default time constant."""
    base, cycle = cfg_of(FT + '320_ldm4_ema'), cfg_of(
        'ffv2_ultra_distill_cpu_landmarks_cycle2')
    shipped = cfg_of('ffv2_ultra_distill_cpu_landmarks_3200')
    assert cycle.train_dataloader.batch_size == \
        shipped.train_dataloader.batch_size == 16
    assert cycle.optim_wrapper.optimizer.lr == 1e-3
    warmup, cosine = cycle.param_scheduler
    assert (warmup['end'], cosine['begin'], cosine['end']) == (100, 100, 2000)
    assert cycle.train_cfg.max_iters == cycle.train_cfg.val_interval == 2000
    (*hooks, ema), (*base_hooks, _) = cycle.custom_hooks, base.custom_hooks
    assert plain(hooks) == plain(base_hooks)
    assert plain(ema) == plain(cycle.weight_ema_hook)
    cycle.train_dataloader.batch_size = base.train_dataloader.batch_size
    cycle.optim_wrapper.optimizer.lr = base.optim_wrapper.optimizer.lr
    cycle.train_cfg.max_iters = base.train_cfg.max_iters
    cycle.train_cfg.val_interval = base.train_cfg.val_interval
    for got, want in zip(cycle.param_scheduler, base.param_scheduler):
        got.update(begin=want['begin'], end=want['end'])
    for key in ('custom_hooks', 'max_iters', 'warmup_iters'):
        cycle[key] = base[key]
    assert plain(cycle.to_dict()) == plain(base.to_dict())


def test_second_cycle_control_drops_only_the_teacher():
    cycle, control = cfg_of('ffv2_ultra_distill_cpu_landmarks_cycle2'), \
        cfg_of('ffv2_ultra_nokd_cpu_cycle2')
    assert control.model.teachers == []
    start = control.model.student.init_cfg.checkpoint
    assert start == control.finetune_from
    assert 'ffv2_ultra_nokd_cpu_3200' in start
    control.model.teachers = cycle.model.teachers
    control.model.student.init_cfg.checkpoint = cycle.finetune_from
    control.finetune_from = cycle.finetune_from
    assert plain(control.to_dict()) == plain(cycle.to_dict())
