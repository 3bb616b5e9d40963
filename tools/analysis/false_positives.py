"""The false positives that outrank a detector's true positives on a split.

    python tools/test.py CONFIG CKPT --split dev --dump-widerface PRED_DIR
    python tools/analysis/false_positives.py PRED_DIR [PRED_DIR ...] \
        [--split dev] [--setting easy] [--recalls 0.5 0.7 0.8 0.85 0.9]

Ranks every detection of the split by score and, at the detection where
recall on the setting reaches each level, counts the false positives
ranked so far by kind (``ffmm/analysis/false_positives.py``): duplicates,
poor boxes (IoU 0.3-0.5) on faces of the setting or on ignored ones, and
background. Prints a markdown table; the last column lists the longer
sides (px) of the faces behind poor boxes, largest first.
"""
import argparse
import os.path as osp


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pred_dirs', nargs='+', metavar='PRED_DIR')
    parser.add_argument('--split', default='dev', choices=('dev', 'train'))
    parser.add_argument('--setting', default='easy',
                        choices=('easy', 'medium', 'hard'))
    parser.add_argument('--recalls', type=float, nargs='+',
                        default=(0.5, 0.7, 0.8, 0.85, 0.9))
    return parser.parse_args(argv)


def split_ground_truth(split):
    from mmengine.config import Config

    from ffmm.evaluation.functional.widerface_ap import (load_widerface_gt,
                                                         read_subset,
                                                         restrict_gt)
    from ffmm.utils.wider_split import SPLIT_CONFIG
    cfg = Config.fromfile(SPLIT_CONFIG)
    subset = osp.join(cfg.data_root, f'split_{split}.txt')
    return restrict_gt(load_widerface_gt(cfg.widerface_gt_dir),
                       read_subset(subset), source=subset)


def breakdown(pred_dir, gt, setting):
    from ffmm.analysis.false_positives import FalsePositiveBreakdown
    from ffmm.evaluation.functional.widerface_ap import read_widerface_preds
    preds = read_widerface_preds(pred_dir, required_events=gt)
    result = FalsePositiveBreakdown()
    for event, images in gt.items():
        for name, face in images.items():
            if name not in preds.get(event, {}):
                raise SystemExit(f'error: {pred_dir} has no predictions for '
                                 f'{event}/{name}')
            result.add(preds[event][name], face.boxes, face.keep[setting])
    return result


def main(argv=None):
    args = parse_args(argv)
    from ffmm.analysis.false_positives import KINDS
    gt = split_ground_truth(args.split)
    print(f'{args.split}, {args.setting}: false positives ranked above the '
          'detection that reaches each recall\n')
    print('| predictions | recall | score | precision | ' +
          ' | '.join(KINDS) + ' | faces behind poor boxes (px) |')
    print('|:---|---:|---:|---:|' + '---:|' * len(KINDS) + ':---|')
    for pred_dir in args.pred_dirs:
        result = breakdown(pred_dir, gt, args.setting)
        for recall in args.recalls:
            row = result.at_recall(recall)
            if row is None:
                print(f'| {pred_dir} | {recall} | not reached | | ' +
                      ' | ' * len(KINDS))
                continue
            sides = ', '.join(str(round(s))
                              for s in row['poor box faces'][::-1])
            print(f'| {pred_dir} | {recall} | {row["score"]:.3f} | '
                  f'{row["precision"]:.3f} | ' +
                  ' | '.join(str(row[k]) for k in KINDS) + f' | {sides} |')


if __name__ == '__main__':
    main()
