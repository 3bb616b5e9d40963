"""`make demo`: the whole story on the embedded mini WIDER FACE set.

Trains the RetinaFace-MobileNet-0.25 config for a few CPU minutes, evaluates
it on the mini val set and writes images with the detections drawn.
"""
import argparse
import glob
import json
import os
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run(*args):
    print('+', ' '.join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)


def data_options(data_root):
    root = osp.abspath(data_root) + '/'
    return [f'{split}_dataloader.dataset.data_root={root}'
            for split in ('train', 'val', 'test')]


def train(config, work_dir, data_root, extra=()):
    run('tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
        *data_options(data_root), *extra)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def evaluate(config, ckpt, work_dir, data_root):
    run('tools/test.py', config, ckpt, '--work-dir', work_dir,
        '--cfg-options', *data_options(data_root))
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.json')),
                  key=osp.getmtime)
    with open(logs[-1]) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default='data/mini_widerface')
    parser.add_argument('--work-dir', default='work_dirs/demo')
    args = parser.parse_args()
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)

    config = 'configs/retinaface/retinaface_mnet025_mini.py'
    ckpt = train(config, osp.join(work, 'retinaface'), args.data_root)
    metrics = evaluate(config, ckpt, osp.join(work, 'retinaface_test'),
                       args.data_root)
    val_images = sorted(
        glob.glob(osp.join(args.data_root, 'val', 'images', '*', '*.jpg')))
    run('tools/detect.py', config, ckpt, *val_images[:6], '--out-dir',
        osp.join(work, 'detections'), '--score-thr', '0.5')
    print('\nmodel                      | mini val AP (all faces)')
    print('---------------------------|------------------------')
    ap = metrics.get('widerface/all', float('nan'))
    print(f'RetinaFace-MobileNet-0.25  | {ap:.4f}')
    print(f'\nimages with detections: {osp.join(work, "detections")}')


if __name__ == '__main__':
    main()
