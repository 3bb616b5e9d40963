"""Detect faces and landmarks in images at their original size.

    python tools/detect.py CONFIG CHECKPOINT IMAGE... --out-dir DIR

Writes DIR/<stem>.json ({"boxes": [[x1, y1, x2, y2, score]],
"landmarks": [[[x, y] x 5]]}) and DIR/<stem>.png with the faces drawn.
"""
import argparse
import json
import os
import os.path as osp

import mmcv
from mmengine.registry import init_default_scope

from ffmm.apis import detect_faces, init_face_detector
from ffmm.visualization import FaceLocalVisualizer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('images', nargs='+')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--score-thr', type=float, default=0.5)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()

    model = init_face_detector(args.config, args.checkpoint, args.device)
    init_default_scope('mmdet')
    visualizer = FaceLocalVisualizer(name='detect')
    visualizer.dataset_meta = model.dataset_meta
    os.makedirs(args.out_dir, exist_ok=True)
    for path in args.images:
        if not osp.isfile(path):
            raise SystemExit(f'error: image {path} does not exist')
        stem = osp.splitext(osp.basename(path))[0]
        sample, result = detect_faces(model, path, args.score_thr)
        with open(osp.join(args.out_dir, stem + '.json'), 'w') as f:
            json.dump(result, f)
        visualizer.add_datasample(
            stem,
            mmcv.imread(path, channel_order='rgb'),
            sample,
            draw_gt=False,
            pred_score_thr=args.score_thr,
            out_file=osp.join(args.out_dir, stem + '.png'))
        print(f'{path}: {len(result["boxes"])} face(s)')


if __name__ == '__main__':
    main()
