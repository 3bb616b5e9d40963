"""FaceDistiller: frozen teachers, gradients, checkpoints and KD losses.

A RetinaFace-MobileNet-0.25 teacher with random weights (saved to a tmp
file) distils a width-16 RetinaFace student on 64x64 inputs.
"""
import copy
import os.path as osp
from glob import glob

import pytest
import torch
from mmdet.registry import HOOKS, MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.runner.checkpoint import (_load_checkpoint_to_model,
                                        weights_to_cpu)
from mmengine.structures import InstanceData

import ffmm  # noqa: F401
from ffmm.models.distillers import TeacherCheckpointError
from ffmm.models.losses import (AttentionDistillLoss, FeatureDistillLoss,
                                KDClsLoss, KDLocLoss)
from ffmm.utils.checkpoint_load import load_checkpoint_strict
from ffmm.utils.config_compat import apply_teacher_ckpt

from ..conftest import REPO, load_script

TEACHER_CONFIG = osp.join(REPO,
                          'configs/retinaface/retinaface_mnet025_widerface.py')
SIZE = 64


def teacher_model_cfg():
    cfg = Config.fromfile(TEACHER_CONFIG).model
    cfg.backbone.init_cfg = None
    return cfg


def student_model_cfg(width=16):
    cfg = teacher_model_cfg()
    cfg.neck.out_channels = width
    cfg.bbox_head.in_channels = width
    return cfg


@pytest.fixture(scope='module')
def teacher_ckpt(tmp_path_factory):
    init_default_scope('mmdet')
    torch.manual_seed(123)
    teacher = MODELS.build(teacher_model_cfg())
    # a head that is confident about faces somewhere, so that the
    # localisation KD has anchors to work on
    for conv in teacher.bbox_head.cls_convs:
        conv.bias.data[0::2] += 2.0
    path = tmp_path_factory.mktemp('teacher') / 'teacher.pth'
    torch.save(dict(state_dict=teacher.state_dict()), str(path))
    return str(path)


KD_DEFAULT = osp.join(REPO, 'configs/_base_/distillation/kd_default.py')


def kd_distiller(**losses):
    """The default distiller of kd_default.py, losses overridden."""
    cfg = copy.deepcopy(Config.fromfile(KD_DEFAULT).kd_distiller)
    cfg.distill_losses.loss_kd_loc.score_thr = 0.3
    cfg.distill_losses.update(losses)
    return cfg


def build_distiller(ckpt, **kwargs):
    init_default_scope('mmdet')
    args = dict(
        type='FaceDistiller',
        student=student_model_cfg(),
        distiller=kd_distiller(),
        teachers=[dict(config=TEACHER_CONFIG, checkpoint=ckpt)],
        distill_cfg=dict(alpha=0.5, temperature=4.0))
    args.update(kwargs)
    model = MODELS.build(args)
    model.init_weights()
    return model


def make_batch(num=1, seed=0):
    g = torch.Generator().manual_seed(seed)
    inputs, samples = [], []
    for _ in range(num):
        inputs.append(torch.randint(0, 256, (3, SIZE, SIZE), generator=g,
                                    dtype=torch.uint8))
        sample = DetDataSample(metainfo=dict(
            img_shape=(SIZE, SIZE), ori_shape=(SIZE, SIZE),
            scale_factor=(1.0, 1.0)))
        sample.gt_instances = InstanceData(
            bboxes=torch.tensor([[8., 10., 40., 44.]]),
            labels=torch.tensor([0]),
            keypoints=torch.tensor([[[18., 22.], [30., 22.], [24., 28.],
                                     [19., 36.], [29., 36.]]]),
            keypoints_visible=torch.ones(1, 5))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def snapshot(module):
    return {k: v.clone() for k, v in module.state_dict().items()}


def optim_for(model, lr=0.05):
    return OptimWrapper(
        torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1))


# ----------------------------------------------------------- frozen teachers
def test_teacher_weights_bit_identical_after_training(teacher_ckpt):
    model = build_distiller(teacher_ckpt,
                            ema_teacher=dict(momentum=0.5, weight=0.5))
    teacher = model.teachers[0]
    before = snapshot(teacher)
    student_before = snapshot(model.student)
    model.train()
    optim = optim_for(model)
    for step in range(3):
        log_vars = model.train_step(make_batch(2, seed=step), optim)
        assert torch.isfinite(log_vars['loss'])
    after = teacher.state_dict()
    assert before.keys() == after.keys()
    for k, v in before.items():
        assert torch.equal(v, after[k]), k  # params and BN statistics
    changed = [k for k, v in model.student.state_dict().items()
               if not torch.equal(v, student_before[k])]
    assert changed, 'the student did not train'


def test_teachers_stay_in_eval_mode(teacher_ckpt):
    model = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.1))
    model.train()
    assert model.student.training
    assert all(m.training for m in model.student.modules())
    for teacher in model.teachers + [model.ema_teacher]:  # real and EMA
        assert not any(m.training for m in teacher.modules())
    model.eval()
    model.train(True)
    for teacher in model.teachers + [model.ema_teacher]:
        assert not any(m.training for m in teacher.modules())


def test_gradients_reach_student_and_adapters_only(teacher_ckpt):
    model = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.1))
    model.train()
    optim = optim_for(model)
    teacher_params = {id(p) for t in model.teachers for p in t.parameters()}
    optim_params = {id(p) for g in optim.optimizer.param_groups
                    for p in g['params']}
    assert teacher_params and not teacher_params & optim_params
    assert optim_params == {id(p) for p in model.parameters()}
    # the EMA teacher is registered (saved, moved) but never trained
    frozen = list(model.ema_teacher.parameters())
    for t in model.teachers:
        frozen += list(t.parameters())
    assert all(not p.requires_grad for p in frozen)

    data = model.data_preprocessor(make_batch(2), True)
    losses = model(**data, mode='loss')
    loss, _ = model.parse_losses(losses)
    loss.backward()
    assert all(p.grad is None for p in frozen)
    for name, part in (('student', model.student),
                       ('connectors', model.distiller.connectors)):
        grads = [p.grad for p in part.parameters()]
        assert grads and all(g is not None for g in grads), name
        assert sum(g.abs().sum() for g in grads) > 0, name


def test_teachers_are_moved_but_not_registered(teacher_ckpt):
    model = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.1))
    n_student = sum(p.numel() for p in model.student.parameters())
    n_adapters = sum(p.numel()
                     for p in model.distiller.connectors.parameters())
    # the EMA teacher is a copy of the student; the real teacher is absent
    assert sum(p.numel() for p in model.parameters()) == \
        2 * n_student + n_adapters
    assert set(model.training_only_modules()) == {
        'teacher', 'ema_teacher', 'connectors'}
    model.to(torch.float64)
    for teacher in model.teachers + [model.ema_teacher]:
        assert all(p.dtype == torch.float64 for p in teacher.parameters())
    # the EMA keeps averaging the moved tensors
    model.update_ema_teacher()
    model.float()
    assert all(p.dtype == torch.float32
               for p in model.teachers[0].parameters())


def test_ema_teacher_follows_student_after_each_step(teacher_ckpt):
    model = build_distiller(teacher_ckpt,
                            ema_teacher=dict(momentum=0.25, weight=1.0))
    ema = model.ema_teacher.module
    for pe, ps in zip(ema.parameters(), model.student.parameters()):
        assert torch.equal(pe, ps)  # starts as a copy of the student
    old = [p.clone() for p in ema.parameters()]
    model.train()
    model.train_step(make_batch(1), optim_for(model))
    for pe, po, ps in zip(ema.parameters(), old, model.student.parameters()):
        assert torch.allclose(pe, 0.75 * po + 0.25 * ps, atol=1e-6)


# --------------------------------------------------------------- checkpoints
def saved_checkpoint(model):
    """What the runner writes: the plain module layout."""
    return dict(meta=dict(), state_dict=weights_to_cpu(model.state_dict()))


def legacy_checkpoint(model):
    """A checkpoint as written before state-dict version 2: student keys at
    top level, adapters and EMA teacher in ``distill_state_dict``."""
    state = model.state_dict()
    top, extra = type(state)(), {}
    for k, v in state.items():
        if k.startswith('student.'):
            top[k[len('student.'):]] = v
        elif k.startswith('distiller.connectors.'):
            t, level, _, i, param = k[len('distiller.connectors.'):].split(
                '.')
            extra[f'distill_adapters.{t}.{level}.{i}.{param}'] = v
        elif k.startswith('ema_teacher.module.'):
            extra['distill_ema.' + k[len('ema_teacher.module.'):]] = v
    top._metadata = {'': dict(version=1)}
    return dict(meta=dict(), state_dict=top, distill_state_dict=extra)


def assert_same_state(a, b, parts=('student', 'distiller', 'ema_teacher')):
    for part in parts:
        sa = getattr(a, part).state_dict()
        sb = getattr(b, part).state_dict()
        assert sa.keys() == sb.keys(), part
        assert all(torch.equal(sa[k], sb[k]) for k in sa), part


def trained_distiller(teacher_ckpt, momentum=0.3):
    model = build_distiller(teacher_ckpt,
                            ema_teacher=dict(momentum=momentum))
    model.train()
    model.train_step(make_batch(2), optim_for(model))
    return model


def test_checkpoint_layout_and_extracted_student(teacher_ckpt, tmp_path):
    model = trained_distiller(teacher_ckpt, momentum=0.1)
    path = str(tmp_path / 'iter_1.pth')
    torch.save(saved_checkpoint(model), path)
    ckpt = torch.load(path, map_location='cpu')
    # plain layout: student, connectors and EMA teacher; no real teacher
    assert {k.split('.')[0] for k in ckpt['state_dict']} == {
        'student', 'distiller', 'ema_teacher'}

    student = MODELS.build(student_model_cfg())
    tool = load_script('tools', 'model_converters', 'extract_student.py')
    out = str(tmp_path / 'student.pth')
    tool.main([path, out])
    extracted = torch.load(out, map_location='cpu')
    # exactly the student's keys: no adapter or EMA weights
    assert set(extracted['state_dict']) == set(student.state_dict())
    student.load_state_dict(extracted['state_dict'], strict=True)
    model.eval()
    student.eval()
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        for a, b in zip(model._forward(x), student._forward(x)):
            for fa, fb in zip(a, b):
                assert torch.equal(fa, fb)
    # never over an existing file without --force, never over IN
    with pytest.raises(SystemExit, match='exists'):
        tool.main([path, out])
    tool.main([path, out, '--force'])
    with pytest.raises(SystemExit, match='OUT is IN'):
        tool.main([path, path, '--force'])
    # tools/test.py's strict load takes the student out by itself
    other = MODELS.build(student_model_cfg())
    load_checkpoint_strict(other, path)
    assert all(torch.equal(v, student.state_dict()[k])
               for k, v in other.state_dict().items())


def test_resume_restores_student_adapters_and_ema(teacher_ckpt, tmp_path):
    model = trained_distiller(teacher_ckpt)
    path = str(tmp_path / 'iter_1.pth')
    torch.save(saved_checkpoint(model), path)

    torch.manual_seed(999)  # a differently initialised second run
    resumed = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.3))
    ckpt = torch.load(path, map_location='cpu')
    _load_checkpoint_to_model(resumed, ckpt, strict=True)
    assert_same_state(model, resumed)
    assert not torch.equal(
        model.ema_teacher.module.bbox_head.cls_convs[0].weight,
        model.student.bbox_head.cls_convs[0].weight)
    # a plain student checkpoint initialises the distiller too; the EMA
    # teacher then starts from the loaded student
    plain = dict(state_dict=model.student.state_dict())
    fresh = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.3))
    _load_checkpoint_to_model(fresh, plain, strict=False)
    assert torch.equal(fresh.ema_teacher.module.bbox_head.cls_convs[0].weight,
                       model.student.bbox_head.cls_convs[0].weight)
    assert_same_state(model, fresh, parts=('student', ))


def test_checkpoint_of_the_previous_layout_loads(teacher_ckpt, tmp_path):
    model = trained_distiller(teacher_ckpt)
    path = str(tmp_path / 'old_iter_1.pth')
    torch.save(legacy_checkpoint(model), path)
    # test/export: strictly into the plain student, as before
    student = MODELS.build(student_model_cfg())
    load_checkpoint_strict(student, path)
    assert all(torch.equal(v, model.student.state_dict()[k])
               for k, v in student.state_dict().items())
    # --resume: DistillerCheckpointHook merges the extras, the distiller
    # renames the keys (state-dict version 1 -> 2)
    torch.manual_seed(999)
    resumed = build_distiller(teacher_ckpt, ema_teacher=dict(momentum=0.3))
    ckpt = torch.load(path, map_location='cpu')
    HOOKS.build(dict(type='DistillerCheckpointHook')).after_load_checkpoint(
        None, ckpt)
    _load_checkpoint_to_model(resumed, ckpt, strict=True)
    assert_same_state(model, resumed, parts=('student', 'distiller'))
    assert_same_state(model.ema_teacher, resumed.ema_teacher,
                      parts=('module', ))
    # the old layout had no step count: the EMA goes on averaging
    assert int(resumed.ema_teacher.steps) == 1


def test_missing_teacher_checkpoint_is_a_clear_error(tmp_path):
    missing = str(tmp_path / 'nowhere' / 'teacher.pth')
    with pytest.raises(TeacherCheckpointError) as err:
        build_distiller(missing)
    msg = str(err.value)
    assert missing in msg
    assert 'teacher_ckpt' in msg and '--cfg-options' in msg
    assert isinstance(err.value, FileNotFoundError)
    with pytest.raises(TeacherCheckpointError, match='not set'):
        build_distiller(None)
    # analysis tools may build the architecture without the weights
    model = build_distiller(missing, require_teacher_ckpt=False)
    assert sum(p.numel() for p in model.teachers[0].parameters()) == 426608
    assert not any(m.training for m in model.teachers[0].modules())


def test_teacher_ckpt_override_reaches_the_model(teacher_ckpt):
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/distillation/retinaface_c32_from_retinaface_mini.py'))
    assert cfg.model.teachers[0].checkpoint == cfg.teacher_ckpt
    cfg.merge_from_dict(dict(teacher_ckpt=teacher_ckpt))
    assert apply_teacher_ckpt(cfg, dict(teacher_ckpt=teacher_ckpt))
    assert cfg.model.teachers[0].checkpoint == teacher_ckpt
    cfg.merge_from_dict({'model.teachers.0.checkpoint': 'elsewhere.pth'})
    assert cfg.model.teachers[0].checkpoint == 'elsewhere.pth'


# -------------------------------------------------------------------- losses
def test_total_loss_is_alpha_mix_of_task_and_distillation(teacher_ckpt):
    model = build_distiller(teacher_ckpt)
    model.set_distill_params(alpha=0.3, temperature=2.0)
    model.train()
    data = model.data_preprocessor(make_batch(1), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {
        'loss_cls', 'loss_bbox', 'loss_ldm', 'loss_kd_cls', 'loss_kd_loc',
        'loss_kd_feat', 'loss_kd_att', 'kd_cls', 'kd_loc', 'kd_feat',
        'kd_att'}
    task = model.student.loss(data['inputs'], data['data_samples'])
    for k, v in task.items():
        assert torch.allclose(losses[k], 0.7 * v, rtol=1e-5), k
    for k in ('cls', 'loc', 'feat', 'att'):
        assert torch.allclose(losses[f'loss_kd_{k}'],
                              0.3 * losses[f'kd_{k}'], rtol=1e-5)
        assert losses[f'kd_{k}'] > 0
    total, log_vars = model.parse_losses(losses)
    expected = sum(v for k, v in losses.items() if k.startswith('loss_'))
    assert torch.allclose(total, expected)
    assert 'kd_cls' in log_vars


def test_unbalanced_task_losses_keep_full_weight(teacher_ckpt):
    """balance_task=False: task + alpha * distill (the teacher adds
    targets without taking weight from the ground truth)."""
    model = build_distiller(teacher_ckpt, distill_cfg=dict(
        alpha=0.3, temperature=2.0, balance_task=False))
    model.train()
    data = model.data_preprocessor(make_batch(1), True)
    losses = model(**data, mode='loss')
    task = model.student.loss(data['inputs'], data['data_samples'])
    for k, v in task.items():
        assert torch.allclose(losses[k], v, rtol=1e-5), k
    assert torch.allclose(losses['loss_kd_loc'], 0.3 * losses['kd_loc'])


def test_unknown_distill_cfg_key_is_an_error(teacher_ckpt):
    with pytest.raises(KeyError, match='balance_tasks'):
        build_distiller(teacher_ckpt, distill_cfg=dict(balance_tasks=False))


def test_without_teachers_only_the_task_loss_remains(teacher_ckpt):
    model = build_distiller(teacher_ckpt, teachers=[])
    model.train()
    data = model.data_preprocessor(make_batch(1), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_cls', 'loss_bbox', 'loss_ldm'}
    task = model.student.loss(data['inputs'], data['data_samples'])
    for k, v in task.items():
        assert torch.allclose(losses[k], v), k


def test_landmark_only_distillation_leaves_boxes_to_the_ground_truth(
        teacher_ckpt):
    """ablations/ffv2_ultra_kd_landmarks_only.py: the teacher's only
    target is the landmarks; classes and boxes learn from the labels."""
    model = build_distiller(teacher_ckpt, distiller=kd_distiller(
        loss_kd_cls=None, loss_kd_feat=None, loss_kd_att=None,
        loss_kd_loc=dict(type='KDLocLoss', score_thr=0.3, bbox_weight=0.0)))
    model.train()
    data = model.data_preprocessor(make_batch(1), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_cls', 'loss_bbox', 'loss_ldm',
                           'loss_kd_loc', 'kd_loc'}
    assert losses['kd_loc'] > 0
    losses['loss_kd_loc'].backward()
    head = model.student.bbox_head
    for conv in head.ldm_convs:
        assert conv.weight.grad.abs().sum() > 0
    for conv in list(head.reg_convs) + list(head.cls_convs):
        assert conv.weight.grad is None or not conv.weight.grad.any()


def test_distiller_losses_vanish_when_student_equals_teacher(teacher_ckpt):
    """Student = teacher architecture with the teacher's weights: every KD
    loss is 0; perturbing the student makes every one positive."""
    distiller = kd_distiller()
    distiller.connectors.neck.skip_same_channels = True
    model = build_distiller(teacher_ckpt, student=teacher_model_cfg(),
                            distiller=distiller)
    model.student.load_state_dict(model.teachers[0].state_dict())
    model.eval()  # BN on running statistics, as in the teacher
    x = torch.randn(2, 3, SIZE, SIZE)

    def kd_losses():
        with torch.no_grad(), model.student_records.recording():
            model.student.bbox_head(model.student.extract_feat(x))
        return model.distill_losses(x)

    same = kd_losses()
    assert set(same) == {'loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat',
                         'loss_kd_att'}
    for k, v in same.items():
        assert abs(float(v)) < 1e-6, (k, float(v))
    with torch.no_grad():
        for p in model.student.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    for k, v in kd_losses().items():
        assert float(v) > 1e-4, (k, float(v))


def test_several_teachers_are_weight_averaged(teacher_ckpt):
    one = build_distiller(teacher_ckpt)
    two = build_distiller(teacher_ckpt, teachers=[
        dict(config=TEACHER_CONFIG, checkpoint=teacher_ckpt, weight=1.0),
        dict(config=TEACHER_CONFIG, checkpoint=teacher_ckpt, weight=3.0)])
    two.student.load_state_dict(one.student.state_dict())
    for name in ('t0', 't1'):  # same adapters for a fair comparison
        two.distiller.connectors[name].load_state_dict(
            one.distiller.connectors['t0'].state_dict())
    one.eval()
    two.eval()
    x = torch.randn(1, 3, SIZE, SIZE)
    results = []
    for model in (one, two):
        with torch.no_grad(), model.student_records.recording():
            model.student.bbox_head(model.student.extract_feat(x))
        with torch.no_grad():
            results.append(model.distill_losses(x))
    for k in results[0]:
        assert torch.allclose(results[0][k], results[1][k], rtol=1e-5), k


def test_kd_cls_loss():
    loss = KDClsLoss()
    s = torch.randn(2, 50, 2)
    assert float(loss(s, s.clone(), temperature=4.0)) == pytest.approx(
        0.0, abs=1e-7)
    t = torch.randn(2, 50, 2)
    value = loss(s, t, temperature=4.0)
    assert value > 0
    # T^2 * KL computed by hand
    p_t = (t / 4).softmax(-1)
    kl = (p_t * (p_t.log() - (s / 4).log_softmax(-1))).sum(-1).mean()
    assert torch.allclose(value, 16 * kl)
    # gradient reaches the student, never the teacher
    s.requires_grad_(True)
    t.requires_grad_(True)
    loss(s, t, temperature=2.0).backward()
    assert s.grad.abs().sum() > 0 and t.grad is None


def test_kd_cls_loss_normalised_by_teacher_faces():
    s, t = torch.randn(2, 50, 2), torch.randn(2, 50, 2)
    mean = KDClsLoss()(s, t, temperature=2.0)
    value = KDClsLoss(normalize='teacher_faces')(s, t, temperature=2.0)
    # summed over the anchors, divided by the teacher's face mass
    face_mass = t.softmax(-1)[..., 0].sum()
    assert torch.allclose(value, mean * 100 / face_mass)
    # no face anywhere: divided by 1, not by ~0
    t_bg = torch.tensor([-20.0, 20.0]).expand(2, 50, 2)
    bg = KDClsLoss(normalize='teacher_faces')(s, t_bg)
    assert torch.allclose(bg, KDClsLoss()(s, t_bg) * 100)
    with pytest.raises(ValueError, match='normalize'):
        KDClsLoss(normalize='faces')


def test_kd_loc_loss():
    loss = KDLocLoss(score_thr=0.5)
    bbox, ldm = torch.randn(2, 30, 4), torch.randn(2, 30, 10)
    scores = torch.zeros(2, 30)
    scores[0, :5] = 0.9
    assert float(loss(bbox, bbox.clone(), scores, ldm, ldm.clone())) == 0.0
    other = bbox.clone()
    other[1, :] += 1.0  # differs only where the teacher sees no face
    assert float(loss(bbox, other, scores, ldm, ldm.clone())) == 0.0
    other[0, 0] += 1.0
    assert float(loss(bbox, other, scores, ldm, ldm.clone())) > 0
    assert float(loss(bbox, bbox.clone(), scores, ldm, ldm + 1)) > 0
    # no confident anchor: zero, with a graph
    s = bbox.clone().requires_grad_(True)
    zero = loss(s, other, torch.zeros(2, 30), ldm, ldm + 1)
    assert float(zero.detach()) == 0.0 and zero.requires_grad


@pytest.mark.parametrize('mode', ['mse', 'cwd'])
def test_feature_distill_loss(mode):
    loss = FeatureDistillLoss(mode=mode, tau=2.0)
    feats = [torch.randn(2, 8, 8, 8), torch.randn(2, 8, 4, 4)]
    assert float(loss(feats, [f.clone() for f in feats])) == pytest.approx(
        0.0, abs=1e-6)
    other = [f + torch.randn_like(f) for f in feats]
    assert float(loss(feats, other)) > 0
    with pytest.raises(ValueError, match='adapter'):
        loss([torch.randn(1, 4, 8, 8)], [torch.randn(1, 8, 8, 8)])
    with pytest.raises(ValueError):
        FeatureDistillLoss(mode='l1')


def test_attention_distill_loss_compares_any_widths():
    loss = AttentionDistillLoss()
    t = torch.randn(2, 64, 8, 8)
    assert float(loss([t], [t.clone()])) == pytest.approx(0.0, abs=1e-6)
    # a narrower student whose attention map matches the teacher's exactly
    att = t.pow(2).mean(1, keepdim=True).sqrt()
    student = att.expand(2, 16, 8, 8).clone()
    assert float(loss([student], [t])) == pytest.approx(0.0, abs=1e-6)
    assert float(loss([torch.randn(2, 16, 8, 8)], [t])) > 0


def test_unused_teacher_state_is_not_deep_shared(teacher_ckpt):
    # deep copies (e.g. for EMA hooks) copy teachers with the model
    model = build_distiller(teacher_ckpt)
    clone = copy.deepcopy(model)
    assert clone.teachers[0] is not model.teachers[0]
    assert torch.equal(clone.teachers[0].bbox_head.cls_convs[0].weight,
                       model.teachers[0].bbox_head.cls_convs[0].weight)


DISTILL_CONFIGS = sorted(
    osp.relpath(p, REPO) for p in
    glob(osp.join(REPO, 'configs/distillation/**/*.py'), recursive=True) +
    glob(osp.join(REPO, 'configs/featherface/ablations/ffv2_ultra_kd_*.py')) +
    [osp.join(REPO, 'configs/ffv2_ultra.py')]
    if '/students/' not in p)


@pytest.mark.parametrize('config', DISTILL_CONFIGS)
def test_distillation_configs_build(config, teacher_ckpt):
    cfg = Config.fromfile(osp.join(REPO, config))
    init_default_scope('mmdet')
    assert cfg.model.type == 'FaceDistiller'
    cfg.model.student.backbone.init_cfg = None
    retinaface = 'retinaface' in cfg.teacher_config
    for teacher in cfg.model.get('teachers', []):
        assert teacher.checkpoint == cfg.teacher_ckpt
        # the test teacher is a RetinaFace; V1 teachers keep random weights
        teacher.checkpoint = teacher_ckpt if retinaface else None
    cfg.model.require_teacher_ckpt = retinaface
    model = MODELS.build(cfg.model)
    hooks = {h['type'] for h in cfg.custom_hooks}
    assert {'DistillationScheduleHook', 'DistillerCheckpointHook'} <= hooks
    # the student is the plain detector a test config builds
    assert type(model.student).__name__ == 'FaceDetector'
    losses = set(model.distiller.distill_losses)
    if config.endswith('_kd_none.py'):
        assert model.teachers == [] and model.effective_alpha == 0
    elif 'logits_only' in config:
        assert losses == {'loss_kd_cls', 'loss_kd_loc'}
        assert not list(model.distiller.connectors.parameters())
    elif 'no_feature' in config:
        assert losses == {'loss_kd_cls', 'loss_kd_loc', 'loss_kd_att'}
    elif 'no_attention' in config:
        assert losses == {'loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat'}
    elif 'landmarks_only' in config:
        assert losses == {'loss_kd_loc'}
        assert model.distiller.distill_losses.loss_kd_loc.bbox_weight == 0
        assert not list(model.distiller.connectors.parameters())
    else:
        assert losses == {'loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat',
                          'loss_kd_att'}
