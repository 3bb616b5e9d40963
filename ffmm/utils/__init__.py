from .checkpoint_compat import allow_mmengine_checkpoint_globals
from .config_compat import enable_teacher_ckpt_option
from .dist_compat import enable_cpu_distributed

__all__ = [
    'allow_mmengine_checkpoint_globals', 'enable_cpu_distributed',
    'enable_teacher_ckpt_option'
]
