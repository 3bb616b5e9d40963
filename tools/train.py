"""Train a detector: `python tools/train.py CONFIG [--work-dir DIR] [--resume]`.

`--resume` without a path continues from the newest readable checkpoint of
the work dir (an unreadable, e.g. truncated, latest one is passed over with
a warning). Several processes on CPU or GPU: `tools/dist_train.sh CONFIG N`.
"""
import argparse
import os.path as osp

from mmengine.runner import Runner

from ffmm.utils import register_all_modules
from ffmm.utils.checkpoint_load import CheckpointError, read_checkpoint
from ffmm.utils.resume import find_resume_checkpoint
from ffmm.utils.tool_checks import check_amp_device
from ffmm.utils.tool_config import add_common_args, load_tool_config


def parse_args():
    parser = argparse.ArgumentParser(description='Train an ffmm detector')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint, or from the latest one in the '
        'work dir when no path is given')
    parser.add_argument(
        '--amp', action='store_true', help='automatic mixed precision')
    add_common_args(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    # the runner sets the config's default scope
    register_all_modules(init_default_scope=False)
    cfg = load_tool_config(args)
    if args.amp:
        check_amp_device()
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume == 'auto':
        path, skipped = find_resume_checkpoint(cfg.work_dir)
        if path is None and skipped:
            raise SystemExit('error: no readable checkpoint to resume from in '
                             f'{cfg.work_dir}: ' + ', '.join(skipped))
        cfg.resume = True
        cfg.load_from = path  # None: nothing saved yet, start from scratch
    elif args.resume is not None:
        try:
            read_checkpoint(args.resume)
        except CheckpointError as e:
            alt, _ = find_resume_checkpoint(
                osp.dirname(args.resume) or '.', exclude=[args.resume])
            raise SystemExit(f'error: {e}' + (
                f'; resume from {alt} instead' if alt else ''))
        cfg.resume = True
        cfg.load_from = args.resume
    Runner.from_cfg(cfg).train()


if __name__ == '__main__':
    main()
