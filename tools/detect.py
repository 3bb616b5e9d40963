"""Detect faces and landmarks in images at their original size.

    python tools/detect.py CONFIG CHECKPOINT IMAGE... --out-dir DIR

Writes DIR/<stem>.json ({"boxes": [[x1, y1, x2, y2, score]],
"landmarks": [[[x, y] x 5]]}) and DIR/<stem>.png with the faces drawn.
Output names are unique: inputs sharing a file name get their folder's
name (then a counter) added, and a name whose output would be one of the
inputs gets ``_det`` appended, so no input is ever written over. An image
that cannot be read is reported and skipped; the exit status is then 1.
"""
import argparse
import json
import os
import os.path as osp
import sys
from collections import Counter

import mmcv
from mmengine.config import Config

from ffmm.apis import detect_faces
from ffmm.datasets.image_check import inspect_image
from ffmm.utils import register_all_modules
from ffmm.utils.tool_checks import (load_detector_or_exit,
                                    reject_distillation_config)
from ffmm.visualization import FaceLocalVisualizer

OUT_EXTS = ('.json', '.png')


def output_stems(paths, out_dir):
    """One output stem per input path, unique, never naming an input."""
    inputs = {osp.realpath(p) for p in paths}
    stems = [osp.splitext(osp.basename(p))[0] for p in paths]
    counts = Counter(stems)
    used, result = set(), []
    for path, stem in zip(paths, stems):
        if counts[stem] > 1:  # a/x.png b/x.png -> a_x, b_x
            parent = osp.basename(osp.dirname(osp.abspath(path)))
            stem = f'{parent}_{stem}' if parent else stem
        if any(osp.realpath(osp.join(out_dir, stem + ext)) in inputs
               for ext in OUT_EXTS):
            stem += '_det'
        name, k = stem, 1
        while name in used:
            k += 1
            name = f'{stem}_{k}'
        used.add(name)
        result.append(name)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--score-thr', type=float, default=0.5)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    register_all_modules()

    cfg = Config.fromfile(args.config)
    reject_distillation_config(cfg, args.config, 'tools/detect.py')
    model = load_detector_or_exit(cfg, args.checkpoint, args.device)
    visualizer = FaceLocalVisualizer(name='detect')
    visualizer.dataset_meta = model.dataset_meta
    os.makedirs(args.out_dir, exist_ok=True)
    failed = 0
    for path, stem in zip(args.images,
                          output_stems(args.images, args.out_dir)):
        problem, _ = inspect_image(path)
        if problem:
            hint = f' (pass its images, e.g. {path}/*.jpg)' \
                if osp.isdir(path) else ''
            print(f'error: {path} {problem}{hint}; skipped', file=sys.stderr)
            failed += 1
            continue
        try:
            image = mmcv.imread(path, channel_order='rgb')
            sample, result = detect_faces(model, path, args.score_thr)
        except Exception as e:  # one bad image must not stop the others
            print(f'error: {path} cannot be processed ({e}); skipped',
                  file=sys.stderr)
            failed += 1
            continue
        with open(osp.join(args.out_dir, stem + '.json'), 'w') as f:
            json.dump(result, f)
        visualizer.add_datasample(
            stem,
            image,
            sample,
            draw_gt=False,
            pred_score_thr=args.score_thr,
            out_file=osp.join(args.out_dir, stem + '.png'))
        print(f'{path}: {len(result["boxes"])} face(s) -> '
              f'{osp.join(args.out_dir, stem)}.json/.png')
    if failed:
        print(f'{failed} of {len(args.images)} image(s) failed',
              file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
