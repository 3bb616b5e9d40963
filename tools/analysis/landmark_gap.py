"""Landmark distance of trained models to a reference model (the teacher).

    python tools/analysis/landmark_gap.py CONFIG CKPT [CONFIG CKPT ...] \
        [--reference CONFIG CKPT] [--images A.jpg B.png ...] \
        [--score-thr 0.5] [--threads 1]

WIDER FACE val has no landmarks, so students that learn them from
FeatherFace V1 are measured against V1 (the default reference, converted
by `make weights`): per image, the largest coordinate difference in pixels
between the two models' landmarks of their highest-scoring face, on the
three bundled photos unless ``--images`` names others. Prints a markdown
table, one row per model; checkpoints load strictly.
"""
import argparse
import math
import os.path as osp

from ffmm.utils.tool_checks import config_ckpt_pairs, load_detector_or_exit

REFERENCE = ('configs/featherface/featherface_v1.py',
             'weights/converted/featherface_v1_widerface.pth')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('models', nargs='+', metavar='CONFIG CKPT')
    parser.add_argument('--reference', nargs=2, default=REFERENCE,
                        metavar=('CONFIG', 'CKPT'))
    parser.add_argument('--images', nargs='+',
                        help='default: the three bundled photos')
    parser.add_argument('--score-thr', type=float, default=0.5)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)
    pairs = config_ckpt_pairs(parser, args.models)
    config_ckpt_pairs(parser, args.reference)
    return args, pairs


def load_images(paths):
    import cv2

    from ffmm.datasets.bundled_photos import bundled_photos
    if not paths:
        return bundled_photos()
    images = {}
    for path in paths:
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise SystemExit(f'error: cannot read image {path}')
        images[osp.basename(path)] = image
    return images


def markdown(rows, names):
    lines = ['| model | ' + ' | '.join(names) + ' | largest |',
             '|:---|' + '---:|' * (len(names) + 1)]
    for model, gaps in rows:
        values = [gaps[n] for n in names]
        # a missed face (NaN) makes the largest gap unknown, not smaller
        largest = (math.nan if any(map(math.isnan, values)) else
                   max(values))
        lines.append(f'| {model} | ' +
                     ' | '.join(f'{v:.1f}' for v in values) +
                     f' | {largest:.1f} |')
    return '\n'.join(lines)


def main(argv=None):
    args, pairs = parse_args(argv)
    from ffmm.analysis import landmark_gaps
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    register_all_modules()
    set_threads(args.threads)
    images = load_images(args.images)
    reference = load_detector_or_exit(*args.reference)
    rows = []
    for config, ckpt in pairs:
        model = load_detector_or_exit(config, ckpt)
        rows.append((f'{osp.basename(config)} {ckpt}',
                     landmark_gaps(model, reference, images,
                                   args.score_thr)))
    print(markdown(rows, list(images)))
    return rows


if __name__ == '__main__':
    main()
