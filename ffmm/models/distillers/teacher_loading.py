"""Building, loading and freezing the teachers of a distillation run."""
import copy
import logging
import os.path as osp

import torch
from mmdet.registry import MODELS
from mmengine.config import Config, ConfigDict
from mmengine.logging import print_log

from ...utils.checkpoint_load import CheckpointError, load_checkpoint_strict

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))


class TeacherCheckpointError(FileNotFoundError):
    """A teacher's checkpoint is not set or the file does not exist."""


def _missing_ckpt_message(path, index):
    what = 'is not set' if not path else f'{path!r} does not exist'
    return (
        f'FaceDistiller: the checkpoint of teacher {index} {what}. A '
        'distillation run needs trained teacher weights. Set the top-level '
        'config variable `teacher_ckpt` (in the config or one inheriting '
        'it), or override it on the command line with `--cfg-options '
        'teacher_ckpt=PATH` (any entry point: ffmm applies it to the '
        f'model) or `--cfg-options model.teachers.{index}.checkpoint=PATH`. '
        'For the RetinaFace teacher: `python tools/convert_ckpt.py --from '
        'retinaface ../shared/weights/retinaface_mnet025_widerface.pth '
        'PATH`.')


def resolve_config_path(path):
    """``path`` as given, or relative to the repository root."""
    if osp.isfile(path):
        return path
    alt = osp.join(REPO_ROOT, path)
    if osp.isfile(alt):
        return alt
    raise FileNotFoundError(
        f'FaceDistiller: teacher config {path!r} not found (relative paths '
        f'are tried from the working directory and from {REPO_ROOT})')


def teacher_model_cfg(config):
    """A teacher's model config (a path, a Config or a model dict), with
    its pretrained-backbone initialisation switched off: the teacher's
    trained checkpoint replaces it anyway."""
    if isinstance(config, str):
        config = Config.fromfile(resolve_config_path(config)).model
    elif isinstance(config, Config):
        config = config.model
    elif isinstance(config, dict) and 'type' not in config \
            and 'model' in config:
        config = config['model']
    cfg = ConfigDict(copy.deepcopy(dict(config)))
    cfg.pop('init_cfg', None)
    if cfg.get('backbone') is not None:
        cfg.backbone['init_cfg'] = None
    return cfg


def freeze(module):
    """No gradients, eval mode (BN on running statistics, no dropout)."""
    module.requires_grad_(False)
    module.eval()
    return module


def load_teacher(config, checkpoint, index=0, required=True):
    """Build a teacher from its config and load its trained weights.

    The returned module is frozen (:func:`freeze`). Building does not
    advance the global torch RNG, so a distillation run and a plain student
    run with the same seed start from the same student weights. A missing
    checkpoint raises :class:`TeacherCheckpointError`, unless
    ``required=False`` (analysis tools that only count parameters): the
    teacher then keeps its random initial weights, with a warning.
    """
    missing = not checkpoint or not osp.isfile(str(checkpoint))
    if missing and required:
        raise TeacherCheckpointError(_missing_ckpt_message(checkpoint, index))
    with torch.random.fork_rng(devices=[]):
        teacher = MODELS.build(teacher_model_cfg(config))
    if missing:
        print_log(
            f'FaceDistiller: teacher {index} checkpoint {checkpoint!r} not '
            'found; the teacher has random weights (require_teacher_ckpt='
            'False, fine for parameter counts, useless for training)',
            logger='current', level=logging.WARNING)
        return freeze(teacher)
    try:
        load_checkpoint_strict(teacher, checkpoint)
    except CheckpointError as e:
        raise CheckpointError(
            f'FaceDistiller: teacher {index}: {e} (teacher config '
            f'{config if isinstance(config, str) else "given inline"})'
        ) from None
    print_log(f'FaceDistiller: teacher {index} loaded from {checkpoint}',
              logger='current')
    return freeze(teacher)


def teacher_specs(teachers, teacher_config=None, teacher_ckpt=None):
    """``[dict(config, checkpoint, weight)]`` from the teacher arguments."""
    specs = [dict(t) for t in (teachers or [])]
    if teacher_config is not None:
        specs.insert(0, dict(config=teacher_config, checkpoint=teacher_ckpt))
    elif teacher_ckpt is not None:
        for spec in specs:
            if not spec.get('checkpoint'):
                spec['checkpoint'] = teacher_ckpt
    for i, spec in enumerate(specs):
        if spec.get('config') is None:
            raise ValueError(f'FaceDistiller: teacher {i} has no config')
    return specs
