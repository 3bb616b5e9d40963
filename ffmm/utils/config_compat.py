"""``--cfg-options teacher_ckpt=PATH`` under every entry point.

Config variables are substituted when a config file is parsed, so merging
``teacher_ckpt=PATH`` changes ``cfg.teacher_ckpt`` but not the
``model.teachers`` entry built from it: the distiller would silently load
the config's default teacher. Every MMDetection entry point (mmdet's and
ffmm's ``tools/train.py`` / ``test.py``, ``init_detector(cfg_options=)``,
``DetInferencer``, launchers) applies ``--cfg-options`` through
``Config.merge_from_dict``, after the config's ``custom_imports`` imported
ffmm: that one method also points the teacher at the new path (see
``apply_teacher_ckpt``). The distiller logs the checkpoint it loads.
"""
import functools

_PATCHED = '_ffmm_teacher_ckpt'


def apply_teacher_ckpt(cfg, cfg_options=None):
    """Propagate a top-level ``teacher_ckpt`` override into the model.

    When the options set ``teacher_ckpt`` and the model is a
    ``FaceDistiller``, its first teacher (and ``model.teacher_ckpt`` when
    present) is pointed at it. Returns True when something changed.
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


def enable_teacher_ckpt_option():
    """Make ``Config.merge_from_dict`` apply ``teacher_ckpt`` (idempotent)."""
    from mmengine.config import Config
    original = Config.merge_from_dict
    if getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def merge_from_dict(self, options, allow_list_keys=True):
        original(self, options, allow_list_keys=allow_list_keys)
        apply_teacher_ckpt(self, options)

    setattr(merge_from_dict, _PATCHED, True)
    Config.merge_from_dict = merge_from_dict
