"""``FaceDistiller``: a student face detector trained from frozen teachers.

After MMRazor's ``SingleTeacherDistill``: the student is built from its
config and its own ``loss()`` gives the task losses; recorders
(``recorders.py``) keep what student and teachers computed, and the
distiller (``configurable_distiller.py``) turns the records into
distillation losses through the mapping in the config. Teachers are
loaded and frozen in ``teacher_loading.py``; an optional EMA copy of the
student (mmengine's ``ExponentialMovingAverage``) is one more teacher.

Teachers are deliberately *not* registered submodules: they never appear
in ``parameters()``, ``state_dict()`` or ``init_weights()`` (their weights
come from their own checkpoints); ``_apply`` moves them with the distiller
and ``train()`` keeps them in eval mode. The state dict is the plain
module layout: ``student.*``, ``distiller.connectors.*`` and
``ema_teacher.*``. ``tools/model_converters/extract_student.py`` writes the
student alone; ``tools/test.py`` and the WIDER evaluation extract it on
the fly. Checkpoints of the previous layout (state-dict version 1: student
keys at top level, ``distill_adapters.*``, ``distill_ema.*``) are mapped on
load (``legacy_checkpoint.py``).
"""
import copy
import logging
from collections import OrderedDict

import torch
from mmdet.models.detectors import BaseDetector
from mmdet.registry import MODELS
from mmengine.logging import print_log
from mmengine.model import ExponentialMovingAverage

from .input_conversion import input_converter
from .legacy_checkpoint import LAYOUT_VERSION, upgrade_legacy_state
from .teacher_loading import load_teacher, teacher_specs


@MODELS.register_module()
class FaceDistiller(BaseDetector):
    """Train a student face detector with knowledge distillation.

    Total loss: ``(1 - alpha) * task + alpha * distill``: every loss of
    ``student.loss()`` is scaled by ``1 - alpha`` and every distillation
    loss by ``alpha``, each logged under its own key (with
    ``distill_cfg=dict(balance_task=False)``: ``task + alpha *
    distill``); the unscaled distillation values are also logged without
    the ``loss_`` prefix
    (``kd_cls`` ...; not summed into the loss). With several teachers each
    distillation loss is the weight-normalised mean over teachers.
    ``alpha`` and the temperature ``T`` start at ``distill_cfg`` and are
    usually set by ``DistillationScheduleHook``.

    Args:
        student (dict): config of the student detector (a ``FaceDetector``
            whose head follows the face-head protocol); its data
            preprocessor is used.
        distiller (dict): recorders, connectors, losses and their mapping
            (``FaceConfigurableDistiller``); the default is ``kd_distiller``
            of ``configs/_base_/distillation/kd_default.py``.
        teachers (list[dict]): ``dict(config=PATH_OR_DICT, checkpoint=PATH,
            weight=1.0)`` per teacher. No teacher: plain training (alpha
            held at 0).
        teacher_config (str | dict, optional): shorthand for one teacher,
            with ``teacher_ckpt``. When only ``teacher_ckpt`` is given it
            fills the entries of ``teachers`` that have no checkpoint.
        teacher_ckpt (str, optional): see ``teacher_config``.
        distill_cfg (dict): initial ``alpha`` and ``temperature``, and
            ``balance_task`` (default True): scale the task losses by
            ``1 - alpha``. False keeps them at full weight, so that the
            teacher adds targets (e.g. landmarks the labels lack) without
            taking weight from the ground truth.
        ema_teacher (dict, optional): self-distillation from an EMA copy of
            the student, ``dict(momentum=1e-3, weight=1.0)``; after each
            optimizer step ``ema = (1 - momentum) * ema + momentum *
            student`` (parameters and BN statistics).
        log_raw_losses (bool): also log the unscaled distillation losses.
        require_teacher_ckpt (bool): a missing teacher checkpoint is an
            error (default). Analysis tools that only count parameters may
            set False: teachers then keep random weights, with a warning.
        data_preprocessor (dict, optional): replaces the student's.
    """

    _version = LAYOUT_VERSION

    def __init__(self,
                 student,
                 distiller,
                 teachers=None,
                 teacher_config=None,
                 teacher_ckpt=None,
                 distill_cfg=dict(alpha=0.9, temperature=6.0),
                 ema_teacher=None,
                 log_raw_losses=True,
                 require_teacher_ckpt=True,
                 data_preprocessor=None,
                 init_cfg=None):
        student = copy.deepcopy(student)
        if data_preprocessor is not None:
            student['data_preprocessor'] = data_preprocessor
        student_model = MODELS.build(student)
        super().__init__(data_preprocessor=student_model.data_preprocessor,
                         init_cfg=init_cfg)
        self.student = student_model
        self.distiller = MODELS.build(distiller)
        distill_cfg = dict(distill_cfg or {})
        unknown = set(distill_cfg) - {'alpha', 'temperature', 'balance_task'}
        if unknown:
            raise KeyError(f'FaceDistiller: unknown distill_cfg keys '
                           f'{sorted(unknown)}')
        self.alpha = float(distill_cfg.get('alpha', 0.9))
        self.temperature = float(distill_cfg.get('temperature', 1.0))
        self.balance_task = bool(distill_cfg.get('balance_task', True))
        self.log_raw_losses = log_raw_losses

        entries = []  # a plain list: teachers are not registered
        for i, spec in enumerate(teacher_specs(teachers, teacher_config,
                                               teacher_ckpt)):
            module = load_teacher(spec['config'], spec.get('checkpoint'), i,
                                  required=require_teacher_ckpt)
            entries.append(dict(
                name=f't{i}', module=module,
                weight=float(spec.get('weight', 1.0)),
                convert=input_converter(student_model.data_preprocessor,
                                        module.data_preprocessor)))
        self.ema_teacher = None
        if ema_teacher:
            ema_teacher = dict(ema_teacher)
            # copied before the student's recorders are installed: a deep
            # copy would take their hooks along
            self.ema_teacher = ExponentialMovingAverage(
                student_model, momentum=float(
                    ema_teacher.get('momentum', 1e-3)), update_buffers=True)
            self.ema_teacher.eval()
            entries.append(dict(name='ema', module=self.ema_teacher.module,
                                weight=float(ema_teacher.get('weight', 1.0)),
                                convert=None))
        self.student_records = self.distiller.make_recorders(student_model)
        for e in entries:
            e['records'] = self.distiller.make_recorders(e['module'])
        self._teacher_entries = entries
        if entries and self.distiller.needs_connectors:
            self._build_connectors()
        self.sync_ema_teacher()

    def _build_connectors(self):
        d = self.distiller
        d.dummy_records(self.student, self.student_records)
        with torch.random.fork_rng(devices=[]):  # same student init with
            for e in self._teacher_entries:      # or without connectors
                d.dummy_records(e['module'], e['records'])
                d.add_teacher(e['name'], self.student_records, e['records'])
                e['records'].clear()
        self.student_records.clear()

    # ------------------------------------------------------------ teachers
    @property
    def teachers(self):
        """The frozen teacher modules (without the EMA teacher)."""
        return [e['module'] for e in self._teacher_entries
                if e['name'] != 'ema']

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
        real = self.teachers
        for i, module in enumerate(real):
            out['teacher' if len(real) == 1 else f'teacher{i}'] = module
        if self.ema_teacher is not None:
            out['ema_teacher'] = self.ema_teacher
        if any(True for _ in self.distiller.connectors.parameters()):
            out['connectors'] = self.distiller.connectors
        return out

    def train(self, mode=True):
        super().train(mode)
        for e in getattr(self, '_teacher_entries', ()):
            e['module'].eval()
        if getattr(self, 'ema_teacher', None) is not None:
            self.ema_teacher.eval()
        return self

    def _apply(self, fn, recurse=True):
        super()._apply(fn, recurse)
        for e in getattr(self, '_teacher_entries', ()):
            if e['name'] != 'ema':
                e['module']._apply(fn)
        ema = getattr(self, 'ema_teacher', None)
        if ema is not None:
            # ExponentialMovingAverage keeps tensors of the state dict it
            # was built with; .to()/.cuda() replace them
            ema.avg_parameters = ema.module.state_dict()
        return self

    # ---------------------------------------------------------- EMA teacher
    def init_weights(self):
        super().init_weights()
        self.sync_ema_teacher()

    @torch.no_grad()
    def sync_ema_teacher(self):
        """Restart the EMA teacher as a copy of the student."""
        if self.ema_teacher is not None:
            self.ema_teacher.steps.zero_()
            self.ema_teacher.update_parameters(self.student)

    @torch.no_grad()
    def update_ema_teacher(self):
        """``ema = (1 - momentum) * ema + momentum * student``."""
        if self.ema_teacher is not None:
            self.ema_teacher.update_parameters(self.student)

    def train_step(self, data, optim_wrapper):
        self._in_train_step = True
        try:
            log_vars = super().train_step(data, optim_wrapper)
        finally:
            self._in_train_step = False
        should_update = getattr(optim_wrapper, 'should_update', None)
        if should_update is None or should_update():
            self.update_ema_teacher()
        return log_vars

    def _warn_if_ema_is_not_updated(self):
        # a model wrapper (DDP) calls loss() without this train_step
        if self.ema_teacher is not None and not getattr(
                self, '_in_train_step', False) and not getattr(
                    self, '_warned_ema', False):
            self._warned_ema = True
            print_log(
                'FaceDistiller: loss() runs outside FaceDistiller.train_step '
                '(a model wrapper such as DDP); the EMA teacher is updated '
                'only by train_step and stays where it is',
                logger='current', level=logging.WARNING)

    # ------------------------------------------------------ state handling
    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        version = local_metadata.get('version', None)
        if version is None or version < LAYOUT_VERSION:
            # previous layout, or a plain student checkpoint (load_from)
            upgrade_legacy_state(state_dict, prefix,
                                 self.ema_teacher is not None)
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
        self._warn_if_ema_is_not_updated()
        alpha = self.effective_alpha
        # the teachers would not change the loss at alpha 0: skip them
        distill = bool(self._teacher_entries) and alpha > 0
        with self.student_records.recording():
            task = self.student.loss(batch_inputs, batch_data_samples)
        losses = OrderedDict()
        task_weight = 1.0 - alpha if self.balance_task else 1.0
        for k, v in task.items():
            losses[k] = [task_weight * x for x in v] \
                if isinstance(v, (list, tuple)) else task_weight * v
        if self._teacher_entries:
            kd = self.distill_losses(batch_inputs) if distill else \
                self.distiller.zero_losses(batch_inputs)
            for k, v in kd.items():
                losses[k] = alpha * v
            if self.log_raw_losses:
                for k, v in kd.items():
                    losses[k[len('loss_'):] if k.startswith('loss_')
                           else f'raw_{k}'] = v.detach()
        self.student_records.clear()
        return losses

    def distill_losses(self, batch_inputs):
        """Unscaled distillation losses, weight-averaged over teachers, of
        the student forward pass recorded last (see :meth:`loss`)."""
        total, weight_sum = OrderedDict(), 0.0
        for e in self._teacher_entries:
            teacher = e['module']
            x = batch_inputs if e['convert'] is None \
                else e['convert'](batch_inputs)
            with torch.no_grad(), e['records'].recording():
                teacher.bbox_head(teacher.extract_feat(x))
            per = self.distiller.compute_losses(
                e['name'], self.student_records, e['records'],
                temperature=self.temperature)
            e['records'].clear()
            for k, v in per.items():
                total[k] = total.get(k, 0.0) + e['weight'] * v
            weight_sum += e['weight']
        if weight_sum <= 0:
            raise ValueError('FaceDistiller: teacher weights sum to 0')
        return OrderedDict((k, v / weight_sum) for k, v in total.items())

