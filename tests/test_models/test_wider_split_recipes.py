"""The real-faces recipes (configs/featherface/wider_split/): one base,
controls that differ in one thing, the student's backbone initialised from
the teacher, and the backbone freeze schedule."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config

from ffmm.analysis import count_parameters
from ffmm.engine.hooks import BackboneFreezeHook
from ..conftest import REPO, load_deployable_cfg, shared_file

SPLIT = osp.join(REPO, 'configs/featherface/wider_split')


def cfg_of(name):
    return Config.fromfile(osp.join(SPLIT, name + '.py'))


def plain(d):
    return Config(dict(d=d)).to_dict()['d']


def build(model_cfg):
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope
    import ffmm  # noqa: F401
    init_default_scope('mmdet')
    return MODELS.build(model_cfg)


def assert_same_training(a, b):
    """Same data, optimisation, schedule, hooks and seed."""
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'custom_hooks', 'randomness'):
        assert plain(a[key]) == plain(b[key]), key


def assert_control_of(distilled, control):
    """``control`` is ``distilled`` without its teacher: same student,
    data, optimisation, schedule, hooks and seed."""
    assert control.model.teachers == []
    assert plain(control.model.student) == plain(distilled.model.student)
    assert_same_training(control, distilled)


def test_cpu_and_gpu_recipes_share_the_model():
    cpu, gpu = cfg_of('ffv2_ultra_distill_cpu'), cfg_of(
        'ffv2_ultra_distill_gpu')
    assert plain(cpu.model) == plain(gpu.model)
    assert cpu.model.type == 'FaceDistiller'
    crop = {c.train_dataloader.dataset.pipeline[2]['out_size']
            for c in (cpu, gpu)}
    assert crop == {320, 640}
    for cfg in (cpu, gpu):
        assert cfg.train_dataloader.dataset.ann_file == \
            'wider_face_train_bbx_gt.txt'
        assert cfg.test_evaluator.subset.endswith('split_dev.txt')


@pytest.mark.parametrize('student', ['', 'full_'])
def test_control_differs_only_by_the_teacher(student):
    kd, control = cfg_of(f'ffv2_ultra_{student}distill_cpu'), cfg_of(
        f'ffv2_ultra_{student}nokd_cpu')
    assert_control_of(kd, control)


def test_v2_recipe_student_is_plain_v2():
    v2 = cfg_of('ffv2_distill_cpu').model.student
    reference = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/ffv2.py')).model
    # an optional neck stage set to None is the default of an absent one
    def stages(neck):
        return {k: v for k, v in plain(neck).items() if v is not None}
    assert stages(v2.neck) == stages(reference.neck)
    assert plain(v2.bbox_head) == plain(reference.bbox_head)
    v2.backbone.init_cfg = None
    assert count_parameters(build(v2)) == 254179


def test_student_backbone_starts_from_the_teacher(tmp_path, one_thread):
    from ffmm.utils.convert import convert_featherface
    from ffmm.utils.convert import load_reference_state_dict
    src = shared_file('weights', 'featherface_v1_widerface.pth')
    teacher_state = convert_featherface(load_reference_state_dict(src))
    ckpt = tmp_path / 'v1.pth'
    torch.save(dict(state_dict=teacher_state), ckpt)
    student_cfg = cfg_of('ffv2_ultra_distill_cpu').model.student
    init = student_cfg.backbone.init_cfg
    assert (init.type, init.prefix) == ('Pretrained', 'backbone.')
    init.checkpoint = str(ckpt)
    student = build(student_cfg)
    student.init_weights()
    for key, value in student.backbone.state_dict().items():
        assert torch.equal(value, teacher_state['backbone.' + key]), key
    assert count_parameters(student) == 241388


def test_backbone_freeze_hook():
    cfg = load_deployable_cfg(osp.join(
        REPO, 'configs/featherface/ffv2_ultra_student.py'))
    model = build(cfg.model)
    model.train()
    runner = SimpleNamespace(model=model, iter=0)
    hook = BackboneFreezeHook(unfreeze_iter=5)
    hook.before_train(runner)
    backbone = model.backbone
    assert not any(p.requires_grad for p in backbone.parameters())
    assert not any(m.training for m in backbone.modules()
                   if isinstance(m, torch.nn.BatchNorm2d))
    assert all(p.requires_grad for p in model.neck.parameters())
    model.train()  # e.g. after validation: still frozen
    assert not any(p.requires_grad for p in backbone.parameters())
    runner.iter = 5
    hook.before_train_iter(runner, 5)
    assert all(p.requires_grad for p in backbone.parameters())
    assert all(m.training for m in backbone.modules())
    # resumed past the switch: trained from the start
    runner.iter = 7
    BackboneFreezeHook(unfreeze_iter=5).before_train(runner)
    assert all(p.requires_grad for p in backbone.parameters())
    # None: frozen throughout
    runner.iter = 0
    hook = BackboneFreezeHook(unfreeze_iter=None)
    hook.before_train(runner)
    for runner.iter in (0, 600, 1599):
        hook.before_train_iter(runner, runner.iter)
        model.train()
        assert not any(p.requires_grad for p in backbone.parameters())


def test_backbone_freeze_hook_names_the_ddp_setting_it_needs():
    model = SimpleNamespace(find_unused_parameters=False)
    with pytest.raises(RuntimeError, match='find_unused_parameters=True'):
        BackboneFreezeHook(unfreeze_iter=5).before_train(
            SimpleNamespace(model=model, iter=0))


@pytest.mark.parametrize('name', ['ffv2_ultra_distill_cpu',
                                  'ffv2_ultra_distill_gpu'])
def test_schedules_are_complete(name):
    cfg = cfg_of(name)
    assert cfg.train_cfg.type in ('FastResumeIterBasedTrainLoop',
                                  'EpochBasedTrainLoop')
    types = [h['type'] for h in cfg.custom_hooks]
    assert types.count('DistillationScheduleHook') == 1
    assert 'BackboneFreezeHook' in types
    assert cfg.optim_wrapper.paramwise_cfg.custom_keys[
        'student.backbone'].lr_mult == 0.1
    # several processes: DDP must allow the frozen backbone's missing grads
    assert cfg.model_wrapper_cfg.find_unused_parameters is True


def test_cpu_variants_change_one_thing():
    def schedule(cfg):
        hook, = [h for h in cfg.custom_hooks
                 if h['type'] == 'DistillationScheduleHook']
        return [(s['temperature'], s['alpha']) for s in hook['schedule']]

    # the experiments before the default changed: every-idea student
    kd, const = cfg_of('ffv2_ultra_full_distill_cpu'), cfg_of(
        'ffv2_ultra_distill_cpu_const')
    assert schedule(kd) == [(6.0, 0.9), (4.0, 0.7), (2.0, 0.5), (1.0, 0.3)]
    assert schedule(const) == [(2.0, 0.5)]
    assert plain(const.model.student) == plain(kd.model.student)
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'randomness'):
        assert plain(const[key]) == plain(kd[key]), key

    scales, control = cfg_of('ffv2_ultra_distill_cpu_retina_scales'), \
        cfg_of('ffv2_ultra_nokd_cpu_retina_scales')
    assert schedule(scales) == [(2.0, 0.5)]
    crop = scales.train_dataloader.dataset.pipeline[2]
    assert (crop['out_size'], max(crop['scales'])) == (320, 0.5)
    assert scales.train_cfg.max_iters == 1200
    assert scales.param_scheduler[-1]['end'] == 1200
    assert_control_of(scales, control)


def test_normalised_class_kd_experiment_changes_one_thing():
    base, clsnorm, control = (cfg_of(n) for n in (
        'ffv2_ultra_distill_cpu_1200', 'ffv2_ultra_distill_cpu_clsnorm',
        'ffv2_ultra_nokd_cpu_1200'))
    assert base.train_cfg.max_iters == 1200
    assert base.param_scheduler[-1]['end'] == 1200
    # first-recipe crops, as ffv2_ultra_distill_cpu.py
    assert plain(base.train_dataloader) == plain(
        cfg_of('ffv2_ultra_distill_cpu').train_dataloader)
    losses = clsnorm.model.distiller.distill_losses
    assert losses.loss_kd_cls.normalize == 'teacher_faces'
    assert plain(dict(losses, loss_kd_cls=None)) == plain(dict(
        base.model.distiller.distill_losses, loss_kd_cls=None))
    assert_control_of(clsnorm, control)


@pytest.mark.parametrize('recipe,student_config', [
    ('ffv2_ultra_distill_cpu', 'ffv2_ultra_student.py'),
    ('ffv2_ultra_full_distill_cpu', 'ffv2_ultra_full_student.py')])
def test_first_recipe_trains_the_plain_student(recipe, student_config):
    """The first CPU recipe with the default student and with the
    every-idea one differ in the student alone, which is the plain
    config that tests their shipped checkpoints."""
    cfg, first = cfg_of(recipe), cfg_of('ffv2_ultra_distill_cpu')
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'custom_hooks', 'randomness'):
        assert plain(cfg[key]) == plain(first[key]), key
    assert plain(cfg.model.teachers) == plain(first.model.teachers)
    student = plain(cfg.model.student)
    plain_student = plain(load_deployable_cfg(osp.join(
        REPO, 'configs/featherface', student_config)).model)
    student['backbone'].pop('init_cfg')
    plain_student['backbone'].pop('init_cfg', None)
    assert student == plain_student


def test_no_feature_kd_recipe_drops_only_the_feature_loss():
    first = cfg_of('ffv2_ultra_distill_cpu')
    variant = cfg_of('ffv2_ultra_distill_cpu_no_feature_kd')
    assert variant.model.distiller.distill_losses.loss_kd_feat is None
    first.model.distiller.distill_losses.loss_kd_feat = None
    assert plain(variant.model) == plain(first.model)
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'custom_hooks', 'randomness'):
        assert plain(variant[key]) == plain(first[key]), key


def test_landmark_annotator_recipe_keeps_the_ground_truth_weight():
    """The teacher adds landmark targets only; the student's data,
    optimisation and task-loss weights are the control's."""
    first, control = cfg_of('ffv2_ultra_distill_cpu'), cfg_of(
        'ffv2_ultra_nokd_cpu')
    variant = cfg_of('ffv2_ultra_distill_cpu_landmarks')
    assert plain(variant.model.distill_cfg) == dict(
        alpha=1.0, temperature=1.0, balance_task=False)
    losses = {k: v for k, v in
              variant.model.distiller.distill_losses.items() if v}
    assert list(losses) == ['loss_kd_loc']
    assert losses['loss_kd_loc'].bbox_weight == 0
    assert plain(variant.model.student) == plain(control.model.student)
    assert plain(variant.model.teachers) == plain(first.model.teachers)
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'randomness'):
        assert plain(variant[key]) == plain(control[key]), key
    types = [h['type'] for h in variant.custom_hooks]
    assert 'DistillationScheduleHook' not in types
    assert [h for h in variant.custom_hooks
            if h['type'] == 'BackboneFreezeHook'] == [
        h for h in control.custom_hooks if h['type'] == 'BackboneFreezeHook']


@pytest.mark.parametrize('recipe', [
    'ffv2_ultra_nokd_cpu', 'ffv2_ultra_distill_cpu_landmarks'])
def test_no_freeze_variant_drops_only_the_freeze(recipe):
    frozen = cfg_of(recipe)
    variant = cfg_of(recipe + '_no_freeze')
    assert plain(variant.custom_hooks) == [
        h for h in plain(frozen.custom_hooks)
        if h['type'] != 'BackboneFreezeHook']
    assert len(variant.custom_hooks) == len(frozen.custom_hooks) - 1
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'randomness'):
        assert plain(variant[key]) == plain(frozen[key]), key


def test_v2_landmark_recipe_distills_like_the_ultra_one():
    """The plain V2 student with the V2-Ultra landmark annotator's
    teacher, losses, weights, data, schedule and hooks."""
    ultra = cfg_of('ffv2_ultra_distill_cpu_landmarks')
    v2 = cfg_of('ffv2_distill_cpu_landmarks')
    assert plain(v2.model.student) == plain(
        cfg_of('ffv2_distill_cpu').model.student)
    assert plain(v2.model.student) != plain(ultra.model.student)
    v2.model.student = ultra.model.student
    assert plain(v2.model) == plain(ultra.model)
    for key in ('train_dataloader', 'optim_wrapper', 'param_scheduler',
                'train_cfg', 'custom_hooks', 'randomness'):
        assert plain(v2[key]) == plain(ultra[key]), key


@pytest.mark.parametrize('short_name,long_name', [
    ('ffv2_ultra_distill_cpu_landmarks',
     'ffv2_ultra_distill_cpu_landmarks_3200'),
    ('ffv2_ultra_distill_cpu_landmarks_3200',
     'ffv2_ultra_distill_cpu_landmarks_6400'),
    ('ffv2_ultra_nokd_cpu_3200', 'ffv2_ultra_nokd_cpu_6400'),
    ('ffv2_ultra_teacher_labels_cpu_3200',
     'ffv2_ultra_teacher_labels_cpu_6400'),
    ('ffv2_ultra_distill_cpu_landmarks_480',
     'ffv2_ultra_distill_cpu_landmarks_480_3200'),
])
def test_long_schedule_changes_only_the_length(short_name, long_name):
    short, long = cfg_of(short_name), cfg_of(long_name)
    length = long.train_cfg.max_iters
    assert length == 2 * short.train_cfg.max_iters
    assert long.param_scheduler[-1]['end'] == length
    short.train_cfg.max_iters = short.train_cfg.val_interval = length
    short.param_scheduler[-1]['end'] = length
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks',
                'randomness'):
        assert plain(long[key]) == plain(short[key]), key


@pytest.mark.parametrize('length', ['3200', '6400', '480_3200'])
def test_long_annotator_recipe_has_its_control(length):
    assert_control_of(cfg_of(f'ffv2_ultra_distill_cpu_landmarks_{length}'),
                      cfg_of(f'ffv2_ultra_nokd_cpu_{length}'))


@pytest.mark.parametrize('variant', ['3200', '6400', '480'])
def test_teacher_label_recipe_changes_only_the_label_file(variant):
    labels = cfg_of(f'ffv2_ultra_teacher_labels_cpu_{variant}')
    control = cfg_of(f'ffv2_ultra_nokd_cpu_{variant}')
    ours, theirs = (c.train_dataloader.dataset for c in (labels, control))
    assert ours.ann_file == labels.teacher_landmarks
    with open(osp.join(REPO, 'Makefile')) as f:  # what makes the file
        assert f'TEACHER_LABELS := {ours.ann_file}' in f.read()
    assert osp.join(ours.data_root, ours.data_prefix.img) == osp.join(
        theirs.data_root, theirs.data_prefix.img)
    for key in ('ann_file', 'data_root', 'data_prefix'):
        ours[key] = theirs[key]
    for key in ('model', 'train_dataloader', 'optim_wrapper',
                'param_scheduler', 'train_cfg', 'custom_hooks',
                'randomness', 'val_dataloader', 'val_evaluator'):
        assert plain(labels[key]) == plain(control[key]), key


def without_change(cfg, variant):
    """``cfg`` as a plain dict with ``variant``'s one change to the student
    undone: ``'dense_p3'`` (a dense SSH at stride 8) or ``'unshared_head'``."""
    d = plain(cfg.to_dict())
    for shorthand in ('grouped_ssh', 'dense_p3_context'):
        d.pop(shorthand, None)  # variables of dense_p3_context.py
    student = d['model']['student']
    if variant == 'dense_p3':
        dense, *grouped = student['neck']['context']
        assert dense['groups'] == 1
        assert grouped == [dict(dense, groups=8)] * 2
        student['neck']['context'] = grouped[0]
    else:
        student['bbox_head']['share_levels'] = True
    return d


def test_dense_p3_recipe_changes_only_the_stride8_context():
    base = cfg_of('ffv2_ultra_distill_cpu_landmarks')
    dense = cfg_of('ffv2_ultra_dense_p3_distill_cpu_landmarks')
    student = Config.fromfile(
        osp.join(REPO, 'configs/featherface/ffv2_ultra_dense_p3_student.py'))
    assert without_change(dense, 'dense_p3') == plain(base.to_dict())
    # the plain student config tests the recipe's checkpoints
    student_model = plain(student.model)
    recipe_student = plain(dense.model.student)
    for model in (recipe_student, student_model):
        model['backbone'].pop('init_cfg')  # teacher's / ImageNet weights
    assert recipe_student == student_model
    assert count_parameters(build(student.model)) == 248948 <= 250000


def test_480_control_changes_only_the_crop_size():
    """Same resize factors as the 320 control where a 480 crop fits in
    the image (scales 1.5 times the 320 ones), the whole short side for
    the rest; nothing else differs."""
    small, large = cfg_of('ffv2_ultra_nokd_cpu'), cfg_of(
        'ffv2_ultra_nokd_cpu_480')
    pipelines = [c.train_dataloader.dataset.pipeline for c in (small, large)]
    (crop_320, crop_480), (resize_320, resize_480) = (
        [next(t for t in p if t['type'] == kind) for p in pipelines]
        for kind in ('RandomSquareCrop', 'FaceResize'))
    assert (crop_480['out_size'], resize_480['scale']) == (480, (480, 480))
    kept = [round(1.5 * s, 3) for s in crop_320['scales'] if 1.5 * s <= 1]
    assert list(crop_480['scales']) == kept + [1.0]
    assert plain(large.model) == plain(small.model)
    small.train_dataloader.dataset.pipeline = [
        crop_480 if t is crop_320 else resize_480 if t is resize_320 else t
        for t in pipelines[0]]
    assert_same_training(large, small)


def test_480_distilled_recipe_is_the_landmark_annotator_on_480_crops():
    """Its crops are the 480 control's; everything else is the 320
    landmark-annotator recipe's."""
    recipe, large, control = (cfg_of(n) for n in (
        'ffv2_ultra_distill_cpu_landmarks',
        'ffv2_ultra_distill_cpu_landmarks_480', 'ffv2_ultra_nokd_cpu_480'))
    assert plain(large.train_dataloader) == plain(control.train_dataloader)
    assert plain(large.model) == plain(recipe.model)
    recipe.train_dataloader.dataset.pipeline = \
        large.train_dataloader.dataset.pipeline
    assert_same_training(large, recipe)


def test_lighter_landmark_label_recipe_changes_only_the_landmark_weight():
    full, light = (cfg_of(n) for n in (
        'ffv2_ultra_teacher_labels_cpu_480',
        'ffv2_ultra_teacher_labels_cpu_480_ldm025'))
    head = light.model.student.bbox_head
    assert head.loss_ldm.loss_weight == 0.25
    assert full.model.student.bbox_head.loss_ldm.loss_weight == 1.0
    head.loss_ldm = full.model.student.bbox_head.loss_ldm
    assert plain(light.model) == plain(full.model)
    assert_same_training(light, full)


def test_long_lighter_landmark_label_recipe_is_its_control_with_labels():
    """The 3,200-iteration quarter-weight label run trains like its
    control, the 480 control on 3,200 iterations, except for the label
    file and the landmark weight."""
    short, long, control = (cfg_of(n) for n in (
        'ffv2_ultra_teacher_labels_cpu_480_ldm025',
        'ffv2_ultra_teacher_labels_cpu_480_ldm025_3200',
        'ffv2_ultra_nokd_cpu_480_3200'))
    assert plain(long.model) == plain(short.model)
    assert plain(long.train_dataloader) == plain(short.train_dataloader)
    assert control.model.teachers == []
    student = long.model.student
    assert student.bbox_head.loss_ldm.loss_weight == 0.25
    student.bbox_head.loss_ldm = control.model.student.bbox_head.loss_ldm
    assert plain(student) == plain(control.model.student)
    for key in ('param_scheduler', 'train_cfg', 'optim_wrapper',
                'randomness'):
        assert plain(long[key]) == plain(control[key]), key
    # the control's chain drops the T/alpha hook, which does nothing
    # without a teacher; the freeze is the same
    freeze = [[h for h in c.custom_hooks if h.type == 'BackboneFreezeHook']
              for c in (long, control)]
    assert plain(freeze[0]) == plain(freeze[1]) != []
    assert long.train_cfg.max_iters == 3200
    assert long.train_dataloader.dataset.ann_file.endswith(
        'train_v1_landmarks.txt')
    control.train_dataloader.dataset.update(
        data_root='', ann_file=long.train_dataloader.dataset.ann_file,
        data_prefix=long.train_dataloader.dataset.data_prefix)
    assert plain(long.train_dataloader) == plain(control.train_dataloader)


def test_stride32_fine_tune_control_differs_in_start_and_labels():
    """The control fine-tunes the no-teacher model on the split's own
    boxes; the distilled one the shipped model on V1's landmark labels.
    Both on 640 crops, nothing else differs."""
    ours, control, plain_split = (cfg_of(n) for n in (
        'ffv2_ultra_stride32_ft640', 'ffv2_ultra_nokd_stride32_ft640',
        'ffv2_ultra_nokd_cpu_3200'))
    assert ours.model.student.init_cfg.checkpoint == (
        'checkpoints/ffv2_ultra_wider_split_distilled.pth')
    assert ours.train_dataloader.dataset.ann_file == ours.teacher_landmarks
    for key in ('ann_file', 'data_root', 'data_prefix'):
        assert (control.train_dataloader.dataset[key] ==
                plain_split.train_dataloader.dataset[key])
        ours.train_dataloader.dataset[key] = \
            control.train_dataloader.dataset[key]
    ours.model.student.init_cfg = control.model.student.init_cfg
    assert ours.model.teachers == control.model.teachers == []
    assert plain(ours.model) == plain(control.model)
    assert_same_training(ours, control)
    crop = next(t for t in control.train_dataloader.dataset.pipeline
                if t['type'] == 'RandomSquareCrop')
    assert crop['out_size'] == 640
