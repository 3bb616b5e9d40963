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


def enable_teacher_ckpt_option():
    """Make ``Config.merge_from_dict`` apply ``teacher_ckpt`` (idempotent)."""
    from mmengine.config import Config
    original = Config.merge_from_dict
    if getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def merge_from_dict(self, options, allow_list_keys=True):
        original(self, options, allow_list_keys=allow_list_keys)
        from ..models.detectors.face_distiller import apply_teacher_ckpt
        apply_teacher_ckpt(self, options)

    setattr(merge_from_dict, _PATCHED, True)
    Config.merge_from_dict = merge_from_dict
