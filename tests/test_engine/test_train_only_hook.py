"""TrainOnlyHook: the named modules train, everything else stays exact."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from ffmm.engine.hooks import TrainOnlyHook
from mmdet.registry import MODELS

from ..conftest import REPO, load_deployable_cfg

pytestmark = pytest.mark.usefixtures('one_thread')
RECIPE = osp.join(REPO, 'configs/featherface/wider_split/'
                  'ffv2_ultra_distill_cpu_landmarks_ldm_head_ft640_mixed.py')
LANDMARK_BRANCH = ['bbox_head.task_convs.ldm', 'bbox_head.ldm_convs']


def _student():
    init_default_scope('mmdet')
    cfg = load_deployable_cfg(osp.join(
        REPO, 'configs/featherface/ffv2_ultra_student.py'))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def _train_steps(model, hook, steps=3):
    runner = SimpleNamespace(model=model, iter=0)
    model.train()
    hook.before_train(runner)
    optim = torch.optim.AdamW(model.parameters(), lr=1e-2,
                              weight_decay=0.1)
    for runner.iter in range(steps):
        model.train()  # as the loop does, e.g. after validation
        hook.before_train_iter(runner, runner.iter)
        outs = model._forward(torch.randn(2, 3, 64, 64))
        loss = sum(t.square().mean() for level in outs for t in level)
        optim.zero_grad()
        loss.backward()
        optim.step()


def test_only_the_landmark_branch_changes():
    model = _student()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    _train_steps(model, TrainOnlyHook(trainable=LANDMARK_BRANCH))
    after = model.state_dict()
    changed = sorted(k for k in before if not torch.equal(before[k],
                                                          after[k]))
    assert changed and all(k.startswith(tuple(LANDMARK_BRANCH))
                           for k in changed)
    # every weight of the branch moved; BatchNorm statistics did not
    branch = [k for k in before if k.startswith(tuple(LANDMARK_BRANCH))]
    assert set(changed) == set(branch)
    assert any('running_mean' in k for k in before)
    trained = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trained == 980  # one branch shared by the three levels


def test_without_the_hook_everything_moves():
    # the check above can fail: plain training changes BN statistics too
    model = _student()
    before = {k: v.clone() for k, v in model.state_dict().items()}

    class NoOp:
        def before_train(self, runner):
            pass

        def before_train_iter(self, runner, batch_idx):
            pass

    _train_steps(model, NoOp(), steps=1)
    moved = [k for k, v in model.state_dict().items()
             if not torch.equal(before[k], v)]
    assert any('running_mean' in k for k in moved)
    assert any(k.startswith('backbone.') for k in moved)


def test_unknown_module_is_named():
    model = _student()
    hook = TrainOnlyHook(trainable='bbox_head.landmark_convs')
    with pytest.raises(KeyError, match='bbox_head.landmark_convs'):
        hook.before_train(SimpleNamespace(model=model, iter=0))
    with pytest.raises(ValueError):
        TrainOnlyHook(trainable=[])


def test_landmark_branch_recipe():
    cfg = Config.fromfile(RECIPE)
    hooks = {h['type']: h for h in cfg.custom_hooks}
    assert hooks['TrainOnlyHook']['trainable'] == LANDMARK_BRANCH
    assert 'BackboneFreezeHook' not in hooks  # would unfreeze the backbone
    assert cfg.model.student.init_cfg.checkpoint == (
        'checkpoints/ffv2_ultra_wider_split_distilled.pth')



def _outputs_around_recipe_training(recipe):
    """The model's (cls, box, ldm) outputs per level before and after a
    few steps of ``recipe``'s TrainOnlyHook."""
    cfg = Config.fromfile(osp.join(REPO, 'configs/featherface/wider_split',
                                   recipe + '.py'))
    hooks = {h['type']: h for h in cfg.custom_hooks}
    assert 'BackboneFreezeHook' not in hooks
    model = _student()
    x = torch.randn(1, 3, 96, 96)
    outputs = []
    for train in (False, True):
        if train:
            _train_steps(model, TrainOnlyHook(
                trainable=hooks['TrainOnlyHook']['trainable']))
        model.eval()
        with torch.no_grad():
            outputs.append(model._forward(x))
    return zip(*outputs)


def test_stride32_recipe_keeps_the_finer_levels_exact():
    # nothing after the BiFPN mixes levels, so training the P5 modules
    # leaves every stride-8 and stride-16 output bit-identical
    for before, after in _outputs_around_recipe_training(
            'ffv2_ultra_stride32_ft640'):  # cls, box, ldm
        assert torch.equal(before[0], after[0])  # stride 8
        assert torch.equal(before[1], after[1])  # stride 16
        assert not torch.equal(before[2], after[2])


def test_stride16_32_recipe_keeps_stride8_exact():
    for before, after in _outputs_around_recipe_training(
            'ffv2_ultra_stride16_32_ft640'):
        assert torch.equal(before[0], after[0])
        assert not torch.equal(before[1], after[1])
        assert not torch.equal(before[2], after[2])
