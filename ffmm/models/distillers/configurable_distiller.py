"""Distillation losses built from a mapping in the config.

After MMRazor's ``ConfigurableDistiller``: the config names the recorders
(what to record from student and teachers), the connectors (trainable
adapters applied to student records) and the losses, and
``loss_forward_mappings`` says which record feeds which argument of each
loss::

    loss_forward_mappings=dict(
        loss_kd_feat=dict(
            student_feats=dict(from_student=True, recorder='neck',
                               connector='neck'),
            teacher_feats=dict(from_student=False, recorder='neck')))

A loss set to ``None`` in ``distill_losses`` is switched off (ablations
do that) and its mapping ignored. The default mapping is
``configs/_base_/distillation/kd_default.py``.
"""
import inspect

import torch
import torch.nn as nn
from mmdet.registry import MODELS
from mmengine.model import BaseModule

from .recorders import FaceHeadOutputsRecorder, RecorderManager


def _channels(record):
    feats = record if isinstance(record, (list, tuple)) else [record]
    return [f.shape[1] for f in feats]


@MODELS.register_module()
class FaceConfigurableDistiller(BaseModule):
    """Distillation losses of one student against one teacher at a time.

    Args:
        recorders (dict): name -> recorder config, installed on the student
            and on every teacher (they share module paths).
        distill_losses (dict): name -> loss config (``None``: off).
        loss_forward_mappings (dict): loss name -> ``{argument: dict(
            from_student, recorder, data_idx=None, connector=None)}``.
        connectors (dict, optional): name -> connector config; one copy is
            built per teacher (teachers may differ in width).
    """

    def __init__(self,
                 recorders,
                 distill_losses,
                 loss_forward_mappings,
                 connectors=None,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.recorder_cfgs = dict(recorders)
        self.distill_losses = nn.ModuleDict({
            name: MODELS.build(cfg) for name, cfg in distill_losses.items()
            if cfg})
        self.loss_forward_mappings = {}
        for name in self.distill_losses:
            if name not in loss_forward_mappings:
                raise KeyError(f'distiller: loss {name!r} has no entry in '
                               'loss_forward_mappings')
            self.loss_forward_mappings[name] = {
                arg: dict(spec) for arg, spec in
                loss_forward_mappings[name].items()}
        self._takes_temperature = {
            name: 'temperature' in inspect.signature(loss.forward).parameters
            for name, loss in self.distill_losses.items()}
        connectors = dict(connectors or {})
        used = {spec['connector'] for mapping in
                self.loss_forward_mappings.values()
                for spec in mapping.values() if spec.get('connector')}
        self._check_references(used, connectors)
        # only the connectors of active losses are built (and trained)
        self.connector_cfgs = {k: dict(connectors[k]) for k in sorted(used)}
        self.connectors = nn.ModuleDict()  # teacher name -> connectors

    def _check_references(self, used_connectors, connectors):
        for loss_name, mapping in self.loss_forward_mappings.items():
            for arg, spec in mapping.items():
                if spec.get('recorder') not in self.recorder_cfgs:
                    raise KeyError(
                        f'distiller: {loss_name}.{arg} reads recorder '
                        f'{spec.get("recorder")!r}; recorders: '
                        f'{sorted(self.recorder_cfgs)}')
        missing = used_connectors - set(connectors)
        if missing:
            raise KeyError(f'distiller: connectors {sorted(missing)} are '
                           'used by a loss mapping but not configured')

    def make_recorders(self, model):
        """Install this config's recorders on ``model``."""
        return RecorderManager(self.recorder_cfgs).initialize(model)

    @property
    def needs_connectors(self):
        return bool(self.connector_cfgs)

    def add_teacher(self, name, student_records, teacher_records):
        """Build the connectors of teacher ``name``; channels not given in
        the config are read from records of one forward pass of both."""
        built = nn.ModuleDict()
        for cname, cfg in self.connector_cfgs.items():
            cfg = dict(cfg)
            source = cfg.setdefault('recorder', cname)
            if cfg.get('in_channels') is None:
                cfg['in_channels'] = _channels(
                    student_records.get_record_data(source))
            if cfg.get('out_channels') is None:
                cfg['out_channels'] = _channels(
                    teacher_records.get_record_data(source))
            built[cname] = MODELS.build(cfg)
        self.connectors[name] = built

    def _check_anchors(self, name, student_records, teacher_records):
        for rname, recorder in student_records.recorders.items():
            if not isinstance(recorder, FaceHeadOutputsRecorder) or \
                    recorder.data is None:
                continue
            s = recorder.get_record_data('cls_logits')
            t = teacher_records.get_record_data(rname, 'cls_logits')
            if t.shape[:2] != s.shape[:2]:
                raise ValueError(
                    f'FaceDistiller: teacher {name} predicts {t.shape[1]} '
                    f'anchors per image, the student {s.shape[1]}: '
                    'distillation needs the same anchors')

    def compute_losses(self, name, student_records, teacher_records,
                       temperature=None):
        """Unscaled losses of the student against teacher ``name``."""
        self._check_anchors(name, student_records, teacher_records)
        losses = {}
        for loss_name, loss in self.distill_losses.items():
            kwargs = {}
            for arg, spec in self.loss_forward_mappings[loss_name].items():
                records = student_records if spec['from_student'] \
                    else teacher_records
                value = records.get_record_data(spec['recorder'],
                                                spec.get('data_idx'))
                if spec.get('connector'):
                    value = self.connectors[name][spec['connector']](value)
                kwargs[arg] = value
            if self._takes_temperature[loss_name] and temperature is not None:
                kwargs['temperature'] = temperature
            losses[loss_name] = loss(**kwargs)
        return losses

    def zero_losses(self, like):
        """Every active loss as a zero (alpha 0: teachers are skipped)."""
        zero = like.new_zeros(())
        return {name: zero for name in self.distill_losses}

    @torch.no_grad()
    def dummy_records(self, model, recorders, size=64):
        """Records of ``model`` on a black ``size`` image (eval mode)."""
        was_training = model.training
        model.eval()
        with recorders.recording():
            model.bbox_head(model.extract_feat(
                torch.zeros(1, 3, size, size)))
        model.train(was_training)
        return recorders
