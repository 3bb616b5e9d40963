"""Parameter accounting by component, shared by the analysis tools."""
from collections import OrderedDict

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
