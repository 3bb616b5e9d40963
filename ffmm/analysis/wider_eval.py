"""Evaluating a trained model on a split of the shared WIDER FACE val."""
import copy
import os.path as osp

from mmengine.config import Config

SETTINGS = ('easy', 'medium', 'hard')


def deployable_config(config):
    """``config`` (path or Config) with the deployed detector as ``model``
    (a distiller's student), its pretrained-backbone load switched off."""
    cfg = Config.fromfile(config) if isinstance(config, str) else \
        copy.deepcopy(config)
    if cfg.model.get('type') == 'FaceDistiller':
        cfg.model = cfg.model.student
    if cfg.model.backbone.get('init_cfg'):
        cfg.model.backbone.init_cfg = None
    return cfg


def test_with_checkpoint(cfg, checkpoint):
    """Build ``cfg``'s runner, load ``checkpoint`` strictly into its model
    (through a DDP or TTA wrapper; a distillation checkpoint gives its
    student) and run the test loop; returns the metrics. The runner's own
    ``load_from`` is not used: it loads non-strictly."""
    from mmengine.runner import Runner

    from ffmm.utils.checkpoint_load import load_checkpoint_strict
    cfg.load_from = None
    runner = Runner.from_cfg(cfg)
    model = runner.model
    while hasattr(model, 'module'):
        model = model.module
    load_checkpoint_strict(model, checkpoint)
    return runner.test()


def use_flip_tta(cfg):
    """Wrap the model in the config's TTA model, with horizontal flip as
    the only augmentation (original size)."""
    if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
        raise ValueError('the config defines no tta_model / tta_pipeline')
    pipeline = copy.deepcopy(cfg.tta_pipeline)
    aug = next(t for t in pipeline if t['type'] == 'TestTimeAug')
    aug['transforms'][0] = [
        dict(type='FaceResize', scale_factor=1.0, keep_ratio=True)]
    cfg.tta_model.module = cfg.model
    cfg.model = cfg.tta_model
    cfg.test_dataloader.dataset.pipeline = pipeline
    return cfg


def evaluate_on_split(config, checkpoint, work_dir, split='dev', tta=False,
                      num_images=None, subset_file=None):
    """Easy / medium / hard AP of ``checkpoint`` on ``split``.

    ``num_images`` evaluates the split's first images only; the official
    protocol then needs ``subset_file`` listing exactly those images.
    """
    cfg = split_test_config(config, work_dir, split)
    if num_images is not None:
        cfg.test_dataloader.dataset.indices = num_images
        cfg.test_evaluator.subset = subset_file
    if tta:
        use_flip_tta(cfg)
    metrics = test_with_checkpoint(cfg, checkpoint)
    return {s: metrics[f'widerface/{s}'] for s in SETTINGS}


def split_test_config(config, work_dir, split):
    """The deployable ``config`` testing on ``split`` into ``work_dir``,
    its runner's named singletons kept apart from other runners of the
    same process."""
    from ffmm.utils.wider_split import use_wider_split
    cfg = deployable_config(config)
    cfg.work_dir = work_dir
    cfg.launcher = 'none'
    use_wider_split(cfg, split)
    name = osp.basename(osp.normpath(work_dir))
    cfg.experiment_name = name
    cfg.visualizer.name = f'visualizer_{name}'
    return cfg


def evaluate_onnx_on_split(config, onnx_file, work_dir, split='dev',
                           threads=1):
    """Easy / medium / hard AP of an ONNX export (float32 or int8) on
    ``split``, through the same test loop and metric as a checkpoint:
    ``config`` (the model's) gives the test pipeline and ``test_cfg``."""
    from mmengine.runner import Runner
    cfg = split_test_config(config, work_dir, split)
    cfg.model = dict(type='ONNXFaceDetectorModel', onnx_file=onnx_file,
                     test_cfg=dict(cfg.model.test_cfg), threads=threads)
    cfg.load_from = None
    metrics = Runner.from_cfg(cfg).test()
    return {s: metrics[f'widerface/{s}'] for s in SETTINGS}
