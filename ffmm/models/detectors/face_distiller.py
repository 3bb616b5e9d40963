"""Knowledge distillation of a face detector from frozen teachers.

``FaceDistiller`` wraps a student detector (any ``FaceDetector`` config) and
one or more trained teachers of the RetinaFace/FeatherFace family. All of
them use strides 8/16/32 with 2 anchors per location, so the anchors of
teacher and student coincide one to one and their head outputs can be
compared anchor by anchor.

Teachers (and the optional EMA copy of the student used for
self-distillation) are deliberately *not* registered submodules: they never
appear in ``parameters()`` (so no optimizer sees them), in ``state_dict()``
(so checkpoints do not carry them) or in ``init_weights()`` (so their loaded
weights are not re-initialised). ``_apply`` moves them with the distiller
(``.to()``, ``.cuda()``, ``.half()``) and ``train()`` keeps them in eval mode.

Checkpoint layout: ``state_dict()`` holds the student's keys at top level
(``backbone.*``, ``neck.*``, ``bbox_head.*``, exactly the plain student's
keys), the training-only adapters under ``distill_adapters.*`` and the EMA
teacher under ``distill_ema.*``. ``DistillerCheckpointHook`` moves the two
``distill_*`` groups out of ``checkpoint['state_dict']`` into
``checkpoint['distill_state_dict']`` when saving and back when loading, so a
saved checkpoint loads strictly into the plain student config
(``tools/test.py STUDENT_CONFIG CKPT``) while ``--resume`` restores the
adapters and the EMA teacher. Without the hook the extra keys stay in the
state dict: resume still works and the plain student loads them with an
"unexpected key" warning.
"""
import copy
import logging
import os.path as osp
from collections import OrderedDict

import torch
import torch.nn as nn
from mmdet.models.detectors import BaseDetector
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log

from ...utils.checkpoint_load import CheckpointError, load_checkpoint_strict
from ..losses.kd_cls_loss import two_class_logits

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
ADAPTER_PREFIX = 'distill_adapters'
EMA_PREFIX = 'distill_ema'
DISTILL_PREFIXES = (ADAPTER_PREFIX + '.', EMA_PREFIX + '.')
FEATURE_LEVELS = ('backbone', 'neck')
LOSS_KEYS = ('loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat', 'loss_kd_att')


class TeacherCheckpointError(FileNotFoundError):
    """A teacher's checkpoint is not set or the file does not exist."""


def _missing_ckpt_message(path, index):
    what = 'is not set' if not path else f'{path!r} does not exist'
    return (
        f'FaceDistiller: the checkpoint of teacher {index} {what}. A '
        'distillation run needs trained teacher weights. Set the top-level '
        'config variable `teacher_ckpt` (in the config or one inheriting '
        'it), or override it on the command line with `--cfg-options '
        'teacher_ckpt=PATH` (any entry point: ffmm applies it to the '
        f'model) or `--cfg-options model.teachers.{index}.checkpoint=PATH`. '
        'For the RetinaFace teacher: `python tools/convert_ckpt.py --from '
        'retinaface ../shared/weights/retinaface_mnet025_widerface.pth '
        'PATH`.')


def apply_teacher_ckpt(cfg, cfg_options=None):
    """Propagate a top-level ``teacher_ckpt`` override into the model.

    Config variables are substituted when the config file is parsed, so
    ``--cfg-options teacher_ckpt=X`` alone changes ``cfg.teacher_ckpt`` but
    not the ``model.teachers`` entry built from it. ffmm calls this from
    ``Config.merge_from_dict`` (``ffmm/utils/config_compat.py``), so every
    entry point applies it: when the options set ``teacher_ckpt``, the
    first teacher (and ``model.teacher_ckpt`` when present) is pointed at
    it. Returns True when something changed.
    """
    if not cfg_options or 'teacher_ckpt' not in cfg_options:
        return False
    model = cfg.get('model', None)
    if not model or model.get('type') != 'FaceDistiller':
        return False
    path = cfg_options['teacher_ckpt']
    if model.get('teacher_config') is not None or 'teacher_ckpt' in model:
        model['teacher_ckpt'] = path
    if model.get('teacher_config') is None and model.get('teachers'):
        model['teachers'][0]['checkpoint'] = path
    return True


def _resolve_config(path):
    if osp.isfile(path):
        return path
    alt = osp.join(REPO_ROOT, path)
    if osp.isfile(alt):
        return alt
    raise FileNotFoundError(
        f'FaceDistiller: teacher config {path!r} not found (relative paths '
        f'are tried from the working directory and from {REPO_ROOT})')


def _teacher_model_cfg(config):
    """A teacher's model config (no pretrained backbone download)."""
    if isinstance(config, str):
        config = Config.fromfile(_resolve_config(config)).model
    elif isinstance(config, Config):
        config = config.model
    elif isinstance(config, dict) and 'type' not in config \
            and 'model' in config:
        config = config['model']
    cfg = ConfigDict(copy.deepcopy(dict(config)))
    cfg.pop('init_cfg', None)
    if cfg.get('backbone') is not None:
        cfg.backbone['init_cfg'] = None
    return cfg


def load_teacher(config, checkpoint, index=0, required=True):
    """Build a teacher from its config and load its trained weights.

    The returned module is frozen (``requires_grad=False``) and in eval
    mode. Building does not advance the global torch RNG, so a distillation
    run and a plain student run with the same seed start from the same
    student weights. A missing checkpoint raises
    :class:`TeacherCheckpointError`, unless ``required=False`` (analysis
    tools that only count parameters): the teacher then keeps its random
    initial weights, with a warning.
    """
    missing = not checkpoint or not osp.isfile(str(checkpoint))
    if missing and required:
        raise TeacherCheckpointError(_missing_ckpt_message(checkpoint, index))
    model_cfg = _teacher_model_cfg(config)
    with torch.random.fork_rng(devices=[]):
        teacher = MODELS.build(model_cfg)
    if missing:
        print_log(
            f'FaceDistiller: teacher {index} checkpoint {checkpoint!r} not '
            'found; the teacher has random weights (require_teacher_ckpt='
            'False, fine for parameter counts, useless for training)',
            logger='current', level=logging.WARNING)
        teacher.requires_grad_(False)
        teacher.eval()
        return teacher
    try:
        load_checkpoint_strict(teacher, checkpoint)
    except CheckpointError as e:
        raise CheckpointError(
            f'FaceDistiller: teacher {index}: {e} (teacher config '
            f'{config if isinstance(config, str) else "given inline"})'
        ) from None
    print_log(f'FaceDistiller: teacher {index} loaded from {checkpoint}',
              logger='current')
    teacher.requires_grad_(False)
    teacher.eval()
    return teacher


def _norm_params(pre):
    """(mean, std, channel_swap) of a data preprocessor."""
    if getattr(pre, '_enable_normalize', False):
        mean, std = pre.mean.flatten().float(), pre.std.flatten().float()
    else:
        mean, std = torch.zeros(3), torch.ones(3)
    return mean, std, bool(getattr(pre, '_channel_conversion', False))


def _input_converter(student_pre, teacher_pre):
    """A function mapping the student's normalised input to the teacher's
    normalisation, or None when both normalise identically."""
    ms, ss, swap_s = _norm_params(student_pre)
    mt, st, swap_t = _norm_params(teacher_pre)
    if (swap_s == swap_t and ms.shape == mt.shape and torch.equal(ms, mt)
            and torch.equal(ss, st)):
        return None

    def convert(x):
        shape = (1, -1, 1, 1)
        raw = x * ss.to(x).view(shape) + ms.to(x).view(shape)
        if swap_s != swap_t:
            raw = raw.flip(1)
        return (raw - mt.to(x).view(shape)) / st.to(x).view(shape)

    return convert


def _features(detector, x):
    """(backbone outputs, neck outputs) of a single-stage detector."""
    back = tuple(detector.backbone(x))
    neck = tuple(detector.neck(back)) if detector.with_neck else back
    return back, neck


def _distiller_state_dict_hook(module, state_dict, prefix, local_metadata):
    """Student keys at top level; EMA teacher under ``distill_ema.``."""
    if not isinstance(module, FaceDistiller):
        return
    sp = prefix + 'student.'
    items = list(state_dict.items())
    state_dict.clear()
    for k, v in items:
        state_dict[prefix + k[len(sp):] if k.startswith(sp) else k] = v
    meta = getattr(state_dict, '_metadata', None)
    if meta is not None:
        base = prefix + 'student'
        for k in list(meta):
            if k == base:
                del meta[k]
            elif k.startswith(base + '.'):
                meta[prefix + k[len(base) + 1:]] = meta.pop(k)
    ema = module.ema_teacher
    if ema is not None:
        ema_state = ema.state_dict()
        for k, v in ema_state.items():
            state_dict[f'{prefix}{EMA_PREFIX}.{k}'] = v
        if meta is not None:
            for k, v in getattr(ema_state, '_metadata', {}).items():
                meta[f'{prefix}{EMA_PREFIX}' + (f'.{k}' if k else '')] = v


def _distiller_load_post_hook(module, incompatible_keys):
    if getattr(module, '_ema_sync_pending', False):
        module._ema_sync_pending = False
        module.sync_ema_teacher()


@MODELS.register_module()
class FaceDistiller(BaseDetector):
    """Train a student face detector with knowledge distillation.

    Total loss: ``(1 - alpha) * task + alpha * distill``; every task loss
    (``loss_cls``, ``loss_bbox``, ``loss_ldm``) is scaled by ``1 - alpha``
    and every distillation loss (``loss_kd_cls``, ``loss_kd_loc``,
    ``loss_kd_feat``, ``loss_kd_att``) by ``alpha``, each logged under its
    own key; the unscaled distillation values are also logged as
    ``kd_cls``/``kd_loc``/``kd_feat``/``kd_att`` (not summed into the
    loss). With several teachers each distillation loss is the
    weight-normalised mean over teachers. ``alpha`` and the temperature
    ``T`` start at ``distill_cfg`` and are usually set by
    ``DistillationScheduleHook``.

    Args:
        student (dict): config of the student detector (a single-stage
            detector whose head has ``flatten_preds``, e.g. ``FaceDetector``
            with ``FaceAnchorHead``); its data preprocessor is used.
        teachers (list[dict]): ``dict(config=PATH_OR_DICT, checkpoint=PATH,
            weight=1.0)`` per teacher.
        teacher_config (str | dict, optional): shorthand for one teacher,
            with ``teacher_ckpt``. When only ``teacher_ckpt`` is given it
            fills the entries of ``teachers`` that have no checkpoint.
        teacher_ckpt (str, optional): see ``teacher_config``.
        distill_cfg (dict): initial ``alpha`` and ``temperature``.
        loss_kd_cls (dict, optional): classification KD (``KDClsLoss``).
        loss_kd_loc (dict, optional): box/landmark KD (``KDLocLoss``).
        loss_kd_feat (dict, optional): feature KD (``FeatureDistillLoss``).
        loss_kd_att (dict, optional): attention KD
            (``AttentionDistillLoss``). ``None`` disables a loss.
        feature_levels (Sequence[str]): features distilled by
            ``loss_kd_feat``, any of ``'backbone'`` and ``'neck'``.
        attention_levels (Sequence[str], optional): features compared by
            ``loss_kd_att``; defaults to ``feature_levels``.
        adapter (bool | str): 1x1 conv from student to teacher channels on
            every distilled feature map (training only). ``True``: always;
            ``'auto'``: only where the widths differ; ``False``: never
            (widths must match).
        feature_loss (str, optional): shorthand overriding
            ``loss_kd_feat.mode`` (``'mse'`` or ``'cwd'``).
        ema_teacher (dict, optional): self-distillation from an EMA copy of
            the student, ``dict(momentum=1e-3, weight=1.0)``; after each
            optimizer step ``ema = (1 - momentum) * ema + momentum *
            student`` (parameters and BN statistics).
        log_raw_losses (bool): also log the unscaled distillation losses.
        require_teacher_ckpt (bool): a missing teacher checkpoint is an
            error (default). Analysis tools that only need the student and
            the parameter counts may set False: teachers then keep random
            weights, with a warning.
        data_preprocessor (dict, optional): when given, replaces the
            student's data preprocessor (kept shared by both).
    """

    def __init__(self,
                 student,
                 teachers=None,
                 teacher_config=None,
                 teacher_ckpt=None,
                 distill_cfg=dict(alpha=0.9, temperature=6.0),
                 loss_kd_cls=dict(type='KDClsLoss', loss_weight=1.0),
                 loss_kd_loc=dict(type='KDLocLoss', bbox_weight=2.0,
                                  loss_weight=1.0),
                 loss_kd_feat=dict(type='FeatureDistillLoss', mode='mse',
                                   loss_weight=1.0),
                 loss_kd_att=dict(type='AttentionDistillLoss',
                                  loss_weight=1.0),
                 feature_levels=('neck', ),
                 attention_levels=None,
                 adapter=True,
                 feature_loss=None,
                 ema_teacher=None,
                 log_raw_losses=True,
                 require_teacher_ckpt=True,
                 data_preprocessor=None,
                 init_cfg=None):
        student = copy.deepcopy(student)
        if data_preprocessor is not None:
            student['data_preprocessor'] = data_preprocessor
        student_model = MODELS.build(student)
        super().__init__(
            data_preprocessor=student_model.data_preprocessor,
            init_cfg=init_cfg)
        self.student = student_model

        distill_cfg = dict(distill_cfg or {})
        self.alpha = float(distill_cfg.get('alpha', 0.9))
        self.temperature = float(distill_cfg.get('temperature', 1.0))
        self.log_raw_losses = log_raw_losses

        self.feature_levels = self._check_levels(feature_levels)
        self.attention_levels = self._check_levels(
            feature_levels if attention_levels is None else attention_levels)
        if loss_kd_feat is not None and feature_loss is not None:
            loss_kd_feat = dict(loss_kd_feat, mode=feature_loss)
        self.loss_kd_cls = MODELS.build(loss_kd_cls) if loss_kd_cls else None
        self.loss_kd_loc = MODELS.build(loss_kd_loc) if loss_kd_loc else None
        self.loss_kd_feat = MODELS.build(loss_kd_feat) \
            if loss_kd_feat else None
        self.loss_kd_att = MODELS.build(loss_kd_att) if loss_kd_att else None

        # ---- teachers: plain attributes, not submodules (see module doc)
        specs = [dict(t) for t in (teachers or [])]
        if teacher_config is not None:
            specs.insert(0, dict(config=teacher_config,
                                 checkpoint=teacher_ckpt))
        elif teacher_ckpt is not None:
            for spec in specs:
                if not spec.get('checkpoint'):
                    spec['checkpoint'] = teacher_ckpt
        entries = []
        for i, spec in enumerate(specs):
            if spec.get('config') is None:
                raise ValueError(f'FaceDistiller: teacher {i} has no config')
            module = load_teacher(spec['config'], spec.get('checkpoint'), i,
                                  required=require_teacher_ckpt)
            entries.append(dict(
                name=f't{i}', module=module,
                weight=float(spec.get('weight', 1.0)),
                convert=_input_converter(student_model.data_preprocessor,
                                         module.data_preprocessor)))
        self.ema_momentum = None
        if ema_teacher:
            ema_teacher = dict(ema_teacher)
            self.ema_momentum = float(ema_teacher.get('momentum', 1e-3))
            ema = copy.deepcopy(student_model)
            ema.requires_grad_(False)
            ema.eval()
            entries.append(dict(name='ema', module=ema,
                                weight=float(ema_teacher.get('weight', 1.0)),
                                convert=None))
        self._teacher_entries = entries  # a list: not registered
        self._ema_sync_pending = False

        # ---- adapters (training only, saved under distill_adapters.*)
        self.distill_adapters = nn.ModuleDict()
        if self.loss_kd_feat is not None and entries:
            s_channels = self._channels(student_model)
            with torch.random.fork_rng(devices=[]):
                for e in entries:
                    t_channels = self._channels(e['module'])
                    per_level = nn.ModuleDict()
                    for level in self.feature_levels:
                        per_level[level] = nn.ModuleList(
                            self._make_adapter(cs, ct, adapter, e['name'])
                            for cs, ct in zip(s_channels[level],
                                              t_channels[level]))
                    self.distill_adapters[e['name']] = per_level

        self.register_state_dict_post_hook(_distiller_state_dict_hook)
        self.register_load_state_dict_post_hook(_distiller_load_post_hook)

    # ------------------------------------------------------------- helpers
    @staticmethod
    def _check_levels(levels):
        levels = tuple(levels or ())
        bad = [lv for lv in levels if lv not in FEATURE_LEVELS]
        if bad:
            raise ValueError(f'FaceDistiller: unknown feature levels {bad}, '
                             f'choose from {FEATURE_LEVELS}')
        return levels

    @staticmethod
    def _channels(detector, size=64):
        """Channels of each backbone/neck output, from a tiny forward."""
        was_training = detector.training
        detector.eval()
        with torch.no_grad():
            back, neck = _features(detector, torch.zeros(1, 3, size, size))
        detector.train(was_training)
        return dict(backbone=[f.shape[1] for f in back],
                    neck=[f.shape[1] for f in neck])

    @staticmethod
    def _make_adapter(cs, ct, adapter, name):
        if adapter is True or (adapter == 'auto' and cs != ct):
            return nn.Conv2d(cs, ct, 1)
        if adapter in (False, 'auto', None):
            if cs != ct:
                raise ValueError(
                    f'FaceDistiller: student has {cs} channels where teacher '
                    f'{name} has {ct}; feature distillation needs '
                    "adapter=True or 'auto'")
            return nn.Identity()
        raise ValueError(f'FaceDistiller: adapter must be True, False or '
                         f"'auto', got {adapter!r}")

    @property
    def teachers(self):
        """The frozen teacher modules (the EMA teacher last, if any)."""
        return [e['module'] for e in self._teacher_entries]

    @property
    def ema_teacher(self):
        for e in getattr(self, '_teacher_entries', ()):
            if e['name'] == 'ema':
                return e['module']
        return None

    @property
    def effective_alpha(self):
        """``alpha``, or 0 when there is no teacher (plain training)."""
        return self.alpha if self._teacher_entries else 0.0

    def set_distill_params(self, temperature=None, alpha=None):
        if temperature is not None:
            if temperature <= 0:
                raise ValueError('temperature must be positive')
            self.temperature = float(temperature)
        if alpha is not None:
            if not 0.0 <= alpha <= 1.0:
                raise ValueError('alpha must be in [0, 1]')
            self.alpha = float(alpha)

    def training_only_modules(self):
        """Modules that exist only for training (not deployed)."""
        out = OrderedDict()
        real = [e for e in self._teacher_entries if e['name'] != 'ema']
        for i, e in enumerate(real):
            out['teacher' if len(real) == 1 else f'teacher{i}'] = e['module']
        if self.ema_teacher is not None:
            out['ema_teacher'] = self.ema_teacher
        if any(True for _ in self.distill_adapters.parameters()):
            out['adapters'] = self.distill_adapters
        return out

    # ----------------------------------------- teachers stay frozen/moved
    def train(self, mode=True):
        super().train(mode)
        for e in getattr(self, '_teacher_entries', ()):
            e['module'].eval()
        return self

    def _apply(self, fn, recurse=True):
        super()._apply(fn, recurse)
        for e in getattr(self, '_teacher_entries', ()):
            e['module']._apply(fn)
        return self

    def init_weights(self):
        super().init_weights()
        self.sync_ema_teacher()

    # ---------------------------------------------------------- EMA teacher
    @torch.no_grad()
    def sync_ema_teacher(self):
        """Copy the student into the EMA teacher."""
        ema = self.ema_teacher
        if ema is not None:
            ema.load_state_dict(self.student.state_dict())

    @torch.no_grad()
    def update_ema_teacher(self):
        """``ema = (1 - momentum) * ema + momentum * student``."""
        ema = self.ema_teacher
        if ema is None:
            return
        m = self.ema_momentum
        for pe, ps in zip(ema.parameters(), self.student.parameters()):
            pe.mul_(1.0 - m).add_(ps.detach(), alpha=m)
        for be, bs in zip(ema.buffers(), self.student.buffers()):
            if be.dtype.is_floating_point:
                be.mul_(1.0 - m).add_(bs, alpha=m)
            else:
                be.copy_(bs)

    def train_step(self, data, optim_wrapper):
        log_vars = super().train_step(data, optim_wrapper)
        should_update = getattr(optim_wrapper, 'should_update', None)
        if self.ema_teacher is not None and (
                should_update is None or should_update()):
            self.update_ema_teacher()
        return log_vars

    # ------------------------------------------------------ state handling
    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        # Plain-student layout -> registered layout (student.*), EMA keys
        # into the (unregistered) EMA teacher.
        own = set(self._modules) - {'student'}
        ema_prefix = f'{prefix}{EMA_PREFIX}.'
        ema_state = OrderedDict()
        for k in list(state_dict):
            if not k.startswith(prefix):
                continue
            if k.startswith(ema_prefix):
                ema_state[k[len(ema_prefix):]] = state_dict.pop(k)
                continue
            rest = k[len(prefix):]
            if rest.split('.', 1)[0] in own or rest.startswith('student.'):
                continue
            state_dict[f'{prefix}student.{rest}'] = state_dict.pop(k)
        meta = getattr(state_dict, '_metadata', None)
        if meta is not None:
            for k in list(meta):
                if k.startswith(prefix) and k[len(prefix):].split(
                        '.', 1)[0] in ('backbone', 'neck', 'bbox_head'):
                    meta.setdefault(f'{prefix}student.{k[len(prefix):]}',
                                    meta[k])
        ema = self.ema_teacher
        if ema is None:
            unexpected_keys.extend(ema_prefix + k for k in ema_state)
        elif ema_state:
            result = ema.load_state_dict(ema_state, strict=False)
            missing_keys.extend(ema_prefix + k for k in result.missing_keys)
            unexpected_keys.extend(ema_prefix + k
                                   for k in result.unexpected_keys)
        else:
            # e.g. initialising from a plain student checkpoint: the EMA
            # teacher starts from the loaded student
            self._ema_sync_pending = True
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)

    # -------------------------------------------------------- the detector
    def extract_feat(self, batch_inputs):
        return self.student.extract_feat(batch_inputs)

    def _forward(self, batch_inputs, batch_data_samples=None):
        return self.student._forward(batch_inputs, batch_data_samples)

    def predict(self, batch_inputs, batch_data_samples, rescale=True):
        return self.student.predict(batch_inputs, batch_data_samples,
                                    rescale=rescale)

    def loss(self, batch_inputs, batch_data_samples):
        student = self.student
        s_back, s_neck = _features(student, batch_inputs)
        s_outs = student.bbox_head(s_neck)
        gt, gt_ignore, metas = unpack_gt_instances(batch_data_samples)
        task = student.bbox_head.loss_by_feat(*s_outs, gt, metas, gt_ignore)
        alpha = self.effective_alpha
        losses = OrderedDict()
        for k, v in task.items():
            losses[k] = [(1.0 - alpha) * x for x in v] \
                if isinstance(v, (list, tuple)) else (1.0 - alpha) * v
        if not self._teacher_entries:
            return losses
        if alpha > 0:
            kd = self.distill_losses(batch_inputs, s_back, s_neck, s_outs)
        else:  # the teachers would not change the loss: skip them
            zero = s_outs[0][0].new_zeros(())
            kd = {k: zero for k in LOSS_KEYS if getattr(self, k)}
        for k, v in kd.items():
            losses[k] = alpha * v
        if self.log_raw_losses:
            for k, v in kd.items():
                losses[k[len('loss_'):]] = v.detach()
        return losses

    def distill_losses(self, batch_inputs, s_back, s_neck, s_outs):
        """Unscaled distillation losses, weight-averaged over teachers."""
        head = self.student.bbox_head
        s_cls, s_bbox, s_ldm = head.flatten_preds(*s_outs)
        s_cls2 = two_class_logits(s_cls, head.use_sigmoid_cls)
        s_feats = dict(backbone=s_back, neck=s_neck)
        total = OrderedDict()
        weight_sum = 0.0
        for e in self._teacher_entries:
            teacher = e['module']
            with torch.no_grad():
                x = batch_inputs if e['convert'] is None \
                    else e['convert'](batch_inputs)
                t_back, t_neck = _features(teacher, x)
                t_head = teacher.bbox_head
                t_cls, t_bbox, t_ldm = t_head.flatten_preds(
                    *t_head(t_neck))
            if t_cls.shape[:2] != s_cls.shape[:2]:
                raise ValueError(
                    f'FaceDistiller: teacher {e["name"]} predicts '
                    f'{t_cls.shape[1]} anchors per image, the student '
                    f'{s_cls.shape[1]}: distillation needs the same anchors')
            t_feats = dict(backbone=t_back, neck=t_neck)
            per = OrderedDict()
            if self.loss_kd_cls is not None:
                per['loss_kd_cls'] = self.loss_kd_cls(
                    s_cls2, two_class_logits(t_cls, t_head.use_sigmoid_cls),
                    temperature=self.temperature)
            if self.loss_kd_loc is not None:
                scores = t_head.scores_from_logits(t_cls)[..., 0]
                ldm_ok = s_ldm.shape == t_ldm.shape
                per['loss_kd_loc'] = self.loss_kd_loc(
                    s_bbox, t_bbox, scores, s_ldm if ldm_ok else None,
                    t_ldm if ldm_ok else None)
            if self.loss_kd_feat is not None and self.feature_levels:
                adapters = self.distill_adapters[e['name']]
                s_list, t_list = [], []
                for level in self.feature_levels:
                    s_list += [a(f) for a, f in zip(adapters[level],
                                                    s_feats[level])]
                    t_list += list(t_feats[level])
                per['loss_kd_feat'] = self.loss_kd_feat(s_list, t_list)
            if self.loss_kd_att is not None and self.attention_levels:
                s_list, t_list = [], []
                for level in self.attention_levels:
                    s_list += list(s_feats[level])
                    t_list += list(t_feats[level])
                per['loss_kd_att'] = self.loss_kd_att(s_list, t_list)
            for k, v in per.items():
                total[k] = total.get(k, 0.0) + e['weight'] * v
            weight_sum += e['weight']
        if weight_sum <= 0:
            raise ValueError('FaceDistiller: teacher weights sum to 0')
        return OrderedDict((k, v / weight_sum) for k, v in total.items())
