"""Checks of tool arguments that would otherwise end in a traceback."""
import argparse
import ast
import os.path as osp


def image_size_arg(text, divisor=1):
    """argparse type of an ``HxW`` image size (e.g. 640x640) whose sides
    are multiples of ``divisor``."""
    try:
        h, w = (int(v) for v in text.lower().split('x'))
    except ValueError:
        raise argparse.ArgumentTypeError(f'expected HxW, got {text!r}')
    if h <= 0 or w <= 0 or h % divisor or w % divisor:
        raise argparse.ArgumentTypeError(
            f'{text}: sides must be positive multiples of {divisor}')
    return h, w


def config_ckpt_pairs(parser, values):
    """``[(config, checkpoint), ...]`` of a flat ``CONFIG CKPT ...``
    argument list; an odd count or a missing file is a parser error."""
    if len(values) % 2:
        parser.error('models are given as CONFIG CKPT pairs')
    for path in values:
        if not osp.isfile(path):
            parser.error(f'{path} does not exist')
    return list(zip(values[::2], values[1::2]))


def load_detector_or_exit(config, checkpoint, device='cpu'):
    """``init_face_detector`` whose checkpoint error (missing, corrupt, not
    fitting the model) ends the tool with that message, not a traceback."""
    from ffmm.apis import init_face_detector
    from ffmm.utils.checkpoint_load import CheckpointError
    try:
        return init_face_detector(config, checkpoint, device)
    except CheckpointError as e:
        raise SystemExit(f'error: {e}')


def _student_config_of(config_path):
    """The first ``_base_`` entry of a distillation config that is not a
    shared ``_base_/`` file: by convention the plain student config."""
    try:
        with open(config_path) as f:
            tree = ast.parse(f.read())
    except (OSError, SyntaxError):
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, 'id', None) == '_base_' for t in node.targets):
            try:
                bases = ast.literal_eval(node.value)
            except ValueError:
                return None
            for base in [bases] if isinstance(bases, str) else bases:
                if '_base_/' not in base:
                    return osp.normpath(
                        osp.join(osp.dirname(config_path), base))
    return None


def reject_distillation_config(cfg, config_path, tool):
    """Testing or running a ``FaceDistiller`` would need its teachers and
    evaluates nothing more than its student: point to the student config."""
    if cfg.model.get('type') != 'FaceDistiller':
        return
    student = _student_config_of(config_path)
    hint = f' ({student})' if student else ''
    raise SystemExit(
        f'error: {config_path} is a distillation config (FaceDistiller); '
        f'{tool} takes the plain student config it wraps{hint}: checkpoints '
        'saved by distillation hold the student only and load strictly '
        'into it')


def check_amp_device():
    """mmengine's AmpOptimWrapper needs CUDA (or another accelerator)."""
    import torch
    if not torch.cuda.is_available():
        raise SystemExit(
            'error: --amp (automatic mixed precision) needs a CUDA GPU and '
            'none is available; train on CPU without --amp')


# arguments only ffmm's WIDER FACE dataset takes
_FFMM_DATASET_ARGS = ('min_size', 'check_images', 'bad_images')


def _ffmm_transform(step):
    from mmdet.registry import TRANSFORMS
    cls = TRANSFORMS.get(step.get('type', '')) if isinstance(
        step, dict) else None
    return cls is not None and cls.__module__.startswith('ffmm.')


def _old_name_datasets(node):
    """Datasets under ``node`` typed ``WIDERFaceDataset`` that are meant
    for ffmm: an ffmm transform in their pipeline or an ffmm-only arg."""
    if isinstance(node, dict):
        if node.get('type') == 'WIDERFaceDataset' and (
                any(k in node for k in _FFMM_DATASET_ARGS)
                or any(map(_ffmm_transform, node.get('pipeline') or []))):
            yield node
        for value in node.values():
            yield from _old_name_datasets(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _old_name_datasets(value)


def reject_old_dataset_name(cfg, config_path):
    """ffmm's dataset was registered as ``WIDERFaceDataset`` over mmdet's
    (VOC XML) one until 0.1; it is ``WIDERFaceLandmarkDataset`` now, and
    the old name builds mmdet's class, which fails on a missing ``.xml``.
    Refuse such configs with the one-word fix instead."""
    found = [k for k in ('train_dataloader', 'val_dataloader',
                         'test_dataloader')
             if any(_old_name_datasets(cfg.get(k)))]
    if found:
        raise SystemExit(
            f"error: {config_path}: {', '.join(found)} use(s) "
            "type='WIDERFaceDataset' with ffmm transforms; that name is "
            "mmdet's WIDER FACE dataset (VOC XML annotations). ffmm's "
            "dataset (label.txt / wider_face_*_bbx_gt.txt, landmarks) is "
            "type='WIDERFaceLandmarkDataset'")
