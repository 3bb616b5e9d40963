"""Train some modules of the (student) model and keep the rest exactly."""
from mmdet.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log

from .trained_student import trained_student


def _under(name, prefixes):
    return any(name == p or name.startswith(p + '.') for p in prefixes)


def _above(name, prefixes):
    return any(p.startswith(name + '.') for p in prefixes)


def _outermost_frozen(model, prefixes):
    """The modules outside ``prefixes`` whose parent is the model or an
    ancestor of a named module: ``eval()`` on them reaches every frozen
    module once."""
    found = []
    for name, module in model.named_modules(remove_duplicate=False):
        if not name or _under(name, prefixes) or _above(name, prefixes):
            continue
        parent = name.rpartition('.')[0]
        if not parent or _above(parent, prefixes):
            found.append(module)
    return found


@HOOKS.register_module()
class TrainOnlyHook(Hook):
    """Train only the modules named by ``trainable`` (prefixes of module
    names in the student, e.g. ``'bbox_head.ldm_convs'``); every other
    parameter gets no gradient and every other module stays in eval mode,
    so that its BatchNorm statistics do not move either. A fine-tune of the
    landmark branch of a trained detector thus leaves its boxes and scores
    bit-identical.

    Under ``DistributedDataParallel`` the frozen parameters get no
    gradient: build it with ``find_unused_parameters=True``.
    """

    priority = 'LOW'  # after anything that calls model.train()

    def __init__(self, trainable):
        if isinstance(trainable, str):
            trainable = [trainable]
        self.trainable = tuple(trainable)
        if not self.trainable:
            raise ValueError('TrainOnlyHook: name at least one module')

    def before_train(self, runner):
        student = trained_student(runner)
        names = dict(student.named_modules())
        missing = [p for p in self.trainable if p not in names]
        if missing:
            raise KeyError(f'TrainOnlyHook: no module {missing} in '
                           f'{type(student).__name__}')
        kept = 0
        for name, param in student.named_parameters():
            train = _under(name, self.trainable)
            param.requires_grad_(train)
            kept += param.numel() if train else 0
        print_log(f'TrainOnlyHook: training {kept} parameters of '
                  f'{", ".join(self.trainable)}; the rest is frozen',
                  logger='current')
        self._frozen = _outermost_frozen(student, self.trainable)

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        # re-applied every iteration: model.train() (after validation, by
        # other hooks) would put the frozen BatchNorms back in train mode
        for module in self._frozen:
            module.eval()
