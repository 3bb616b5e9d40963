"""Parameter accounting by component, shared by the analysis tools."""
from collections import OrderedDict

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

# Component of a module class; a module may also set `param_group`.
GROUP_BY_CLASS = {
    'CBAM': 'attention',
    'ChannelGate': 'attention',
    'SpatialGate': 'attention',
    'BiFPN': 'fusion',
    'BiFPNCell': 'fusion',
    'SSH': 'context',
    'ChannelShuffleBlock': 'shuffle',
}
ORDER = ('backbone', 'attention', 'fusion', 'context', 'shuffle', 'heads',
         'extras')


def build_from_config(config, cfg_options=None, with_init=False):
    """Build ``cfg.model`` (no pretrained download unless ``with_init``)."""
    import ffmm  # noqa: F401  (registers modules)
    from mmdet.registry import MODELS
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if cfg.model.get('type') == 'FaceDistiller':
        # counting parameters needs the teachers' architecture only
        cfg.model.require_teacher_ckpt = False
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    model = MODELS.build(cfg.model)
    if with_init:
        model.init_weights()
    return model, cfg


def count_parameters(module):
    return sum(p.numel() for p in module.parameters())


def _group_of(module):
    return getattr(module, 'param_group', None) or GROUP_BY_CLASS.get(
        type(module).__name__)


def param_table(detector):
    """Parameters of a detector by component.

    Returns an OrderedDict component -> count. Parameters inside a module
    of a known kind (see ``GROUP_BY_CLASS`` or a ``param_group`` attribute)
    count to that kind; the rest of the neck counts as fusion, the head as
    heads, anything else as extras.
    """
    groups = OrderedDict((g, 0) for g in ORDER)
    for name, p in detector.named_parameters():
        group = None
        parts = name.split('.')
        # the innermost tagged ancestor wins
        for i in range(len(parts) - 1, 0, -1):
            prefix = '.'.join(parts[:i])
            module = detector.get_submodule(prefix)
            group = _group_of(module)
            if group:
                break
        if group is None:
            top = parts[0]
            group = {'backbone': 'backbone', 'neck': 'fusion',
                     'bbox_head': 'heads'}.get(top, 'extras')
        groups[group] = groups.get(group, 0) + p.numel()
    return OrderedDict((k, v) for k, v in groups.items() if v)


def deform_conv_flops(model, shape):
    """Multiply-adds of mmcv's modulated deformable convs, which mmengine's
    complexity analysis does not count (0 when the model has none)."""
    from mmcv.ops import ModulatedDeformConv2d
    layers = [m for m in model.modules()
              if isinstance(m, ModulatedDeformConv2d)]
    total = [0]

    def hook(module, inputs, output):
        kh, kw = module.kernel_size
        total[0] += (output.numel() * module.in_channels // module.groups *
                     kh * kw)

    handles = [m.register_forward_hook(hook) for m in layers]
    try:
        with torch.no_grad():
            model._forward(torch.zeros(1, 3, *shape))
    finally:
        for h in handles:
            h.remove()
    return total[0]


def summarize(config, shape=(640, 640), flops=True):
    """``{"total", "modules", "flops"}`` of a config's deployed model.

    For a distiller, ``total`` is the student alone; teachers and adapters
    are listed under ``training_only``. FLOPs come from mmengine's
    complexity analysis plus the deformable convs it skips.
    """
    from mmengine.analysis import get_model_complexity_info
    model, _ = build_from_config(config)
    student = getattr(model, 'student', model)
    report = dict(total=count_parameters(student),
                  modules=dict(param_table(student)))
    extra = getattr(model, 'training_only_modules', None)
    if callable(extra):
        report['training_only'] = {
            name: count_parameters(m) for name, m in extra().items()}
    if flops:
        student.eval()
        with torch.no_grad():
            info = get_model_complexity_info(
                student, input_shape=(3, *shape), show_table=False,
                show_arch=False)
        report['flops'] = int(info['flops']) + deform_conv_flops(
            student, shape)
    return report
