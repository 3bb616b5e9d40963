from .checkpoint_compat import allow_mmengine_checkpoint_globals
from .config_compat import enable_teacher_ckpt_option
from .dist_compat import enable_cpu_distributed
from .setup_env import enable_compatibility, register_all_modules

__all__ = [
    'allow_mmengine_checkpoint_globals', 'enable_compatibility',
    'enable_cpu_distributed', 'enable_teacher_ckpt_option',
    'register_all_modules'
]
