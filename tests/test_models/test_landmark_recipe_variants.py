"""One-change variants of the 1,600-iteration landmark-annotator recipe
(ffv2_ultra_distill_cpu_landmarks.py): each differs from it in the one
thing its name says."""
from .test_wider_split_recipes import assert_control_of, cfg_of, plain

BASE = 'ffv2_ultra_distill_cpu_landmarks'
OTHER_KEYS = ('train_dataloader', 'optim_wrapper', 'param_scheduler',
              'train_cfg', 'randomness', 'teacher_ckpt')


def assert_same(variant, base, keys=('model', 'custom_hooks') + OTHER_KEYS):
    for key in keys:
        assert plain(variant[key]) == plain(base[key]), key


def test_frozen_variant_never_unfreezes_the_backbone():
    base, variant = cfg_of(BASE), cfg_of(BASE + '_frozen')
    base_hooks, hooks = plain(base.custom_hooks), plain(variant.custom_hooks)
    assert len(hooks) == len(base_hooks)
    for h, b in zip(hooks, base_hooks):
        if b['type'] == 'BackboneFreezeHook':
            assert b['unfreeze_iter'] == 600
            assert h == dict(b, unfreeze_iter=None)
        else:
            assert h == b
    assert_same(variant, base, ('model', ) + OTHER_KEYS)


def test_small_faces_variant_only_weights_small_faces_up():
    base, variant = cfg_of(BASE), cfg_of(BASE + '_small_faces')
    weight = variant.model.student.train_cfg.pop('difficulty_weight')
    assert plain(weight) == dict(ref_size=64, power=0.5, max_weight=3.0)
    assert 'difficulty_weight' not in base.model.student.train_cfg
    assert_same(variant, base)


def test_frozen_control_drops_only_the_teacher():
    assert_control_of(cfg_of(BASE + '_frozen'),
                      cfg_of('ffv2_ultra_nokd_cpu_frozen'))


def test_feature_kd_variant_adds_only_the_default_feature_term():
    base, variant = cfg_of(BASE), cfg_of(BASE + '_feature_kd')
    losses = variant.model.distiller.distill_losses
    assert base.model.distiller.distill_losses.loss_kd_feat is None
    assert plain(losses.loss_kd_feat) == plain(
        base.kd_distiller.distill_losses.loss_kd_feat)
    assert losses.loss_kd_feat.mode == 'mse'
    losses.loss_kd_feat = None
    assert_same(variant, base)


def test_cwd_variant_changes_only_the_feature_distance():
    mse, cwd = cfg_of(BASE + '_feature_kd'), cfg_of(BASE + '_feature_cwd')
    term = cwd.model.distiller.distill_losses.loss_kd_feat
    assert plain(term) == dict(type='FeatureDistillLoss', mode='cwd',
                               tau=1.0, loss_weight=10.0)
    cwd.model.distiller.distill_losses.loss_kd_feat = \
        mse.model.distiller.distill_losses.loss_kd_feat
    assert_same(cwd, mse)
