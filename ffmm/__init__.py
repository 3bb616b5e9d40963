"""ffmm: FeatherFace face detectors with landmarks for MMDetection 3.x.

Importing the package registers every module into mmdet's registries (use
``custom_imports = dict(imports=['ffmm'])`` in configs).
"""
from .utils import (allow_mmengine_checkpoint_globals, enable_cpu_distributed,
                    enable_teacher_ckpt_option)
from .version import __version__

allow_mmengine_checkpoint_globals()
enable_cpu_distributed()
enable_teacher_ckpt_option()

from . import (datasets, deploy, engine, evaluation, models,  # noqa: E402,F401
               visualization)
from .apis.det_inferencer_landmarks import \
    enable_inferencer_landmarks  # noqa: E402

enable_inferencer_landmarks()

__all__ = ['__version__']
