"""Recorders: forward hooks that keep the outputs of a model's modules.

Like MMRazor's ``ModuleOutputsRecorder``: a recorder is named in the
config, watches one module of a detector by its path (``'backbone'``,
``'neck'``, ``'bbox_head'``) and keeps what that module returned during the
last recorded forward pass. The distiller reads the records by name in its
loss mapping, so a loss never needs to know how the detector is built.
"""
from contextlib import contextmanager

from mmdet.registry import TASK_UTILS

from ..losses.kd_cls_loss import two_class_logits


@TASK_UTILS.register_module()
class ModuleOutputsRecorder:
    """Record the output of the module at ``source`` (a path in
    ``named_modules()``); a tuple/list output is kept as a tuple."""

    def __init__(self, source):
        self.source = source
        self.module = None
        self.data = None
        self.enabled = False
        self._handle = None

    def initialize(self, model):
        modules = dict(model.named_modules())
        if self.source not in modules:
            raise KeyError(
                f'recorder: {type(model).__name__} has no module '
                f'{self.source!r}')
        self.module = modules[self.source]
        self._handle = self.module.register_forward_hook(self._hook)

    def reset(self):
        self.data = None

    def _hook(self, module, inputs, outputs):
        if self.enabled:
            self.data = tuple(outputs) if isinstance(outputs, (list, tuple)) \
                else outputs

    def get_record_data(self, data_idx=None):
        if self.data is None:
            raise RuntimeError(f'recorder of {self.source!r}: nothing '
                               'recorded (the module did not run)')
        return self.data if data_idx is None else self.data[data_idx]


@TASK_UTILS.register_module()
class FaceHeadOutputsRecorder(ModuleOutputsRecorder):
    """Record a face head's per-level outputs and give them anchor by
    anchor through the face-head protocol (``flatten_preds``,
    ``scores_from_logits``, ``use_sigmoid_cls``).

    Items (``data_idx``): ``'cls_logits'`` (B, A, 2) [face, background]
    logits whatever the head's classifier (sigmoid or softmax),
    ``'face_scores'`` (B, A) face probabilities, ``'bbox'`` (B, A, 4) and
    ``'ldm'`` (B, A, 2K) deltas.
    """

    def __init__(self, source='bbox_head'):
        super().__init__(source)
        self._flat = None

    def reset(self):
        super().reset()
        self._flat = None

    def _hook(self, module, inputs, outputs):
        super()._hook(module, inputs, outputs)
        if self.enabled:
            self._flat = None

    def get_record_data(self, data_idx=None):
        raw = super().get_record_data()
        if self._flat is None:
            head = self.module
            cls, bbox, ldm = head.flatten_preds(*raw)
            self._flat = dict(
                cls_logits=two_class_logits(cls, head.use_sigmoid_cls),
                face_scores=head.scores_from_logits(cls)[..., 0],
                bbox=bbox,
                ldm=ldm)
        return self._flat if data_idx is None else self._flat[data_idx]


class RecorderManager:
    """The named recorders of one model; records only inside
    :meth:`recording`, so inference keeps no tensors alive."""

    def __init__(self, cfgs):
        self.recorders = {
            name: TASK_UTILS.build(dict(cfg)) for name, cfg in
            (cfgs or {}).items()}

    def initialize(self, model):
        for recorder in self.recorders.values():
            recorder.initialize(model)
        return self

    @contextmanager
    def recording(self):
        for recorder in self.recorders.values():
            recorder.reset()
            recorder.enabled = True
        try:
            yield self
        finally:
            for recorder in self.recorders.values():
                recorder.enabled = False

    def clear(self):
        for recorder in self.recorders.values():
            recorder.reset()

    def get_record_data(self, name, data_idx=None):
        if name not in self.recorders:
            raise KeyError(f'no recorder named {name!r} (recorders: '
                           f'{sorted(self.recorders)})')
        return self.recorders[name].get_record_data(data_idx)
