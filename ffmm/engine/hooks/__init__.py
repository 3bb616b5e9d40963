from .backbone_freeze_hook import BackboneFreezeHook
from .bn_momentum_hook import BNMomentumHook
from .curriculum_hook import FaceCurriculumHook
from .progressive_resize_hook import ProgressiveResizeHook
from .train_only_hook import TrainOnlyHook
from .transform_schedule_hook import TransformScheduleHook, iter_transforms

__all__ = [
    'BackboneFreezeHook', 'BNMomentumHook', 'TransformScheduleHook', 'ProgressiveResizeHook',
    'FaceCurriculumHook', 'TrainOnlyHook',
    'iter_transforms'
]
from .distillation_schedule_hook import DistillationScheduleHook  # noqa: E402
from .distiller_checkpoint_hook import DistillerCheckpointHook  # noqa: E402
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError  # noqa: E402

__all__ += ['DistillationScheduleHook', 'DistillerCheckpointHook',
            'FiniteLossHook', 'NonFiniteLossError']
