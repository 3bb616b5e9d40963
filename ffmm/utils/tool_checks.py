"""Checks of tool arguments that would otherwise end in a traceback."""
import ast
import os.path as osp


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
