"""WIDER FACE AP of an ONNX export on a split of the shared val set.

    python tools/deploy/eval_onnx.py MODEL.onnx CONFIG [--split dev]
        [--threads 1] [--work-dir DIR] [--json FILE]

MODEL.onnx comes from ``tools/deploy/export_onnx.py --dynamic`` (the test
runs each image at its original size), float32 or quantised by
``tools/deploy/quantize_onnx.py``. CONFIG is the model's config: its test
pipeline and ``test_cfg`` (score threshold, NMS) are used, so the numbers
compare with ``tools/test.py CONFIG CHECKPOINT --split dev``.
"""
import argparse
import json
import os.path as osp

from ffmm.analysis import evaluate_onnx_on_split
from ffmm.utils import register_all_modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('onnx')
    parser.add_argument('config')
    parser.add_argument('--split', default='dev', choices=['dev', 'train'])
    parser.add_argument('--threads', type=int, default=1,
                        help='onnxruntime threads (0: all cores)')
    parser.add_argument('--work-dir', help='default: work_dirs/eval_onnx/'
                        '<onnx name>')
    parser.add_argument('--json', help='write the three APs here')
    args = parser.parse_args()
    register_all_modules(init_default_scope=False)
    name = osp.splitext(osp.basename(args.onnx))[0]
    work_dir = args.work_dir or osp.join('work_dirs', 'eval_onnx', name)
    aps = evaluate_onnx_on_split(args.config, args.onnx, work_dir,
                                 args.split, args.threads)
    print(f'{args.onnx} on {args.split}: ' + ' / '.join(
        f'{k} {100 * v:.2f}' for k, v in aps.items()))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(dict(onnx=args.onnx, split=args.split, ap=aps), f,
                      indent=2)


if __name__ == '__main__':
    main()
