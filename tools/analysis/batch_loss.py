"""Task losses of trained models on a training recipe's batches.

    python tools/analysis/batch_loss.py RECIPE CONFIG CKPT [CONFIG CKPT ...] \
        [--batches 4] [--batch-size N] [--seed 0] [--threads 1]

Draws the first ``--batches`` batches of RECIPE's ``train_dataloader``
(its crops and augmentation, with ``--seed``) once and computes every
model's classification, box and landmark losses on the same batches, in
inference mode, with the model's own head and assigner. Prints a markdown
table of the means. Checkpoints load strictly.
"""
import argparse
import os.path as osp

from ffmm.utils.tool_checks import config_ckpt_pairs, load_detector_or_exit


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('recipe', help='config whose train_dataloader is used')
    parser.add_argument('models', nargs='+', metavar='CONFIG CKPT')
    parser.add_argument('--batches', type=int, default=4)
    parser.add_argument('--batch-size', type=int,
                        help='default: the recipe\'s')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)
    if args.batches < 1:
        parser.error('--batches must be at least 1')
    if not osp.isfile(args.recipe):
        parser.error(f'{args.recipe} does not exist')
    return args, config_ckpt_pairs(parser, args.models)


def main(argv=None):
    args, pairs = parse_args(argv)
    from mmengine.config import Config

    from ffmm.analysis.batch_loss import (TASK_LOSSES, mean_task_losses,
                                          training_batches)
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    set_threads(args.threads)
    register_all_modules()
    # every checkpoint is checked before the data is read
    models = [(ckpt, load_detector_or_exit(config, ckpt))
              for config, ckpt in pairs]
    batches = training_batches(Config.fromfile(args.recipe), args.batches,
                               args.batch_size, args.seed)
    rows = [(ckpt, mean_task_losses(model, batches))
            for ckpt, model in models]
    print(f'{args.recipe}: {len(batches)} batches, seed {args.seed}\n')
    print('| model | ' + ' | '.join(TASK_LOSSES) + ' |')
    print('|:---|' + '---:|' * len(TASK_LOSSES))
    for ckpt, losses in rows:
        cells = ' | '.join(f'{losses[n]:.3f}' if n in losses else '-'
                           for n in TASK_LOSSES)
        print(f'| {ckpt} | {cells} |')
    return rows


if __name__ == '__main__':
    main()
