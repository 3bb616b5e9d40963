"""`make demo`: faces and landmarks found by the trained FeatherFace
V2-Ultra that ships in checkpoints/, on the public-domain photographs that
ship inside scikit-image and matplotlib. No download, no data set.

    python tools/demo.py [--checkpoint checkpoints/...pth] [--out-dir DIR]

Writes the photos and, for each, the drawn detections (boxes and 5
landmarks) and a JSON file into DIR (default work_dirs/demo), and prints
what was found.
"""
import argparse
import os
import os.path as osp
import subprocess
import sys

import cv2

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = 'configs/featherface/ffv2_ultra_student.py'
CHECKPOINT = 'checkpoints/ffv2_ultra_wider_split_distilled.pth'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=CONFIG)
    parser.add_argument('--checkpoint', default=CHECKPOINT)
    parser.add_argument('--out-dir', default='work_dirs/demo')
    parser.add_argument('--score-thr', type=float, default=0.5)
    args = parser.parse_args()
    from ffmm.datasets.bundled_photos import bundled_photos

    photo_dir = osp.join(args.out_dir, 'photos')
    os.makedirs(photo_dir, exist_ok=True)
    paths = []
    for name, img in bundled_photos().items():
        paths.append(osp.join(photo_dir, name + '.png'))
        cv2.imwrite(paths[-1], img)
    cmd = [sys.executable, osp.join(REPO, 'tools', 'detect.py'), args.config,
           args.checkpoint, *paths, '--out-dir',
           osp.join(args.out_dir, 'detections'), '--score-thr',
           str(args.score_thr)]
    print('+', ' '.join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=REPO)


if __name__ == '__main__':
    main()
