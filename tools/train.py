"""Train a detector: `python tools/train.py CONFIG [--work-dir DIR] [--resume]`."""
import argparse

from mmengine.runner import Runner

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
    cfg = load_tool_config(args)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.loss_scale = 'dynamic'
    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    Runner.from_cfg(cfg).train()


if __name__ == '__main__':
    main()
