"""SmartHead: a face head with cheap cross-task feature fusion.

On top of :class:`FaceAnchorHead`'s 1x1 predictors, each task gets its own
feature map from a depthwise 3x3 conv (``task_convs``)::

    f_cls = relu(dw_cls(x)), f_reg = relu(dw_reg(x)), f_ldm = relu(dw_ldm(x))

and, with ``cross_task=True``, each task borrows from another one through a
depthwise 3x3 conv (9 weights per channel)::

    cls_feat = f_cls + dw_ldm2cls(f_ldm)   # landmarks help classification
    reg_feat = f_reg + dw_cls2reg(f_cls)   # classification helps boxes
    ldm_feat = f_ldm + dw_reg2ldm(f_reg)   # boxes help landmarks

before the 1x1 predictors. The cross connections read the *task* features
computed from ``x`` (not each other's fused outputs), so there is no
cycle and the three branches run in parallel.

``share_levels=True`` uses one set of weights for every pyramid level (the
levels have the same width; the 1x1 predictors and depthwise filters are
scale-agnostic); ``cls_convs`` etc. then list the same module once per
level, so per-level access (``cls_convs[i]``) keeps working and
``parameters()`` yields each shared tensor once. With
``task_convs=False`` and ``cross_task=False`` the head is exactly
``FaceAnchorHead`` (optionally with shared weights).

Initialisation: the predictors keep ``FaceAnchorHead``'s normal(0, 0.01);
the task convs start as identities (centre tap 1) so that at the start the
head behaves as the plain head on non-negative features, and the cross
convs start small (normal(0, 0.01)) but non-zero.
"""
import torch.nn as nn
import torch.nn.functional as F
from mmdet.registry import MODELS

from .face_anchor_head import FaceAnchorHead

TASKS = ('cls', 'reg', 'ldm')
# (source task, target task) of each cross connection
CROSS = (('ldm', 'cls'), ('cls', 'reg'), ('reg', 'ldm'))


@MODELS.register_module()
class SmartFaceHead(FaceAnchorHead):
    """FaceAnchorHead with task features, cross-task fusion, shared levels.

    Args:
        task_convs (bool): a depthwise 3x3 (bias) + ReLU per task.
        cross_task (bool): the cross-task connections (need task convs).
        share_levels (bool): one set of weights for all levels.
        task_kernel (int): kernel of the task and cross convs.
        **kwargs: :class:`FaceAnchorHead` arguments.
    """

    def __init__(self,
                 *args,
                 task_convs=True,
                 cross_task=True,
                 share_levels=True,
                 task_kernel=3,
                 **kwargs):
        if cross_task and not task_convs:
            raise ValueError('cross_task needs task_convs=True')
        self.use_task_convs = task_convs
        self.cross_task = cross_task
        self.share_levels = share_levels
        self.task_kernel = task_kernel
        super().__init__(*args, **kwargs)

    def _per_level(self, make):
        """ModuleList with one module per level (the same one if shared)."""
        n = self.prior_generator.num_levels
        if self.share_levels:
            return nn.ModuleList([make()] * n)
        return nn.ModuleList(make() for _ in range(n))

    def _dw(self, bias):
        c, k = self.in_channels, self.task_kernel
        return nn.Conv2d(c, c, k, padding=k // 2, groups=c, bias=bias)

    def _init_layers(self):
        a = self.num_base_priors

        def pred(out_per_anchor):
            return self._per_level(
                lambda: nn.Conv2d(self.in_channels, a * out_per_anchor, 1))

        self.cls_convs = pred(self.cls_out_channels)
        self.reg_convs = pred(self.bbox_coder.encode_size)
        self.ldm_convs = pred(self.landmark_coder.encode_size)
        if self.use_task_convs:
            self.task_convs = nn.ModuleDict(
                (t, self._per_level(lambda: self._dw(True))) for t in TASKS)
        else:
            self.task_convs = None
        if self.cross_task:
            self.cross_convs = nn.ModuleDict(
                (f'{s}2{t}', self._per_level(lambda: self._dw(False)))
                for s, t in CROSS)
        else:
            self.cross_convs = None

    def init_weights(self):
        super().init_weights()
        if self.task_convs is not None:
            k = self.task_kernel
            for convs in self.task_convs.values():
                for conv in convs:
                    nn.init.zeros_(conv.weight)
                    nn.init.zeros_(conv.bias)
                    conv.weight.data[:, :, k // 2, k // 2] = 1.0
        if self.cross_convs is not None:
            for convs in self.cross_convs.values():
                for conv in convs:
                    nn.init.normal_(conv.weight, 0, 0.01)

    def task_features(self, x, level):
        """(cls, reg, ldm) features of one level before the predictors."""
        if self.task_convs is None:
            return x, x, x
        f = {t: F.relu(self.task_convs[t][level](x)) for t in TASKS}
        if self.cross_convs is not None:
            fused = dict(f)
            for s, t in CROSS:
                fused[t] = fused[t] + self.cross_convs[f'{s}2{t}'][level](
                    f[s])
            f = fused
        return f['cls'], f['reg'], f['ldm']

    def forward(self, x):
        """Return per-level lists (cls_scores, bbox_preds, ldm_preds)."""
        cls_scores, bbox_preds, ldm_preds = [], [], []
        for i, feat in enumerate(x):
            fc, fr, fl = self.task_features(feat, i)
            cls_scores.append(self.cls_convs[i](fc))
            bbox_preds.append(self.reg_convs[i](fr))
            ldm_preds.append(self.ldm_convs[i](fl))
        return cls_scores, bbox_preds, ldm_preds
