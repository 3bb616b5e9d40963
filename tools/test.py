"""Evaluate a checkpoint: `python tools/test.py CONFIG CHECKPOINT`.

`--dump-widerface DIR` also writes the predictions in the WIDER FACE
submission layout; `--tta` uses the config's flip/multi-scale TTA model;
`--split dev` evaluates on that split of the shared WIDER FACE val
(configs/_base_/datasets/wider_val_split.py) whatever the config's data.
"""
import argparse
import os.path as osp

from ffmm.utils import register_all_modules
from ffmm.analysis.wider_eval import test_with_checkpoint
from ffmm.utils.checkpoint_load import CheckpointError, read_checkpoint
from ffmm.utils.tool_checks import reject_distillation_config
from ffmm.utils.tool_config import add_common_args, load_tool_config
from ffmm.utils.wider_split import SPLITS, use_wider_split


def parse_args():
    parser = argparse.ArgumentParser(description='Test an ffmm detector')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--dump-widerface',
        metavar='DIR',
        help='write DIR/<event>/<image>.txt prediction files')
    parser.add_argument(
        '--show-dir', help='save images with detections drawn here')
    parser.add_argument(
        '--tta', action='store_true', help='test-time augmentation')
    parser.add_argument(
        '--split', choices=SPLITS,
        help='test on this split of the shared WIDER FACE val')
    add_common_args(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    # the runner sets the config's default scope
    register_all_modules(init_default_scope=False)
    cfg = load_tool_config(args)
    reject_distillation_config(cfg, args.config, 'tools/test.py')
    try:  # a bad file fails here, before the dataset and model are built
        read_checkpoint(args.checkpoint)
    except CheckpointError as e:
        raise SystemExit(f'error: {e}')
    if args.split:
        use_wider_split(cfg, args.split)
    if args.dump_widerface:
        cfg.test_evaluator.dump_dir = args.dump_widerface
    if args.show_dir:
        vis_hook = cfg.default_hooks.visualization
        vis_hook.draw = True
        vis_hook.test_out_dir = osp.abspath(args.show_dir)
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise SystemExit(f'{args.config} defines no tta_model / '
                             'tta_pipeline')
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
    try:  # strictly, unlike the runner's own load_from
        test_with_checkpoint(cfg, args.checkpoint)
    except CheckpointError as e:
        raise SystemExit(f'error: {e}')


if __name__ == '__main__':
    main()
