"""Static int8 quantisation (QDQ) of an ffmm ONNX export.

    python tools/deploy/quantize_onnx.py MODEL.onnx MODEL_int8.onnx
        [--num-images 48] [--seed 0] [--ops Conv]
        [--calibration minmax|percentile|entropy] [--percentile 99.999]
        [--grouped-float] [--exclude /bbox_head/]
        [--split-file ../shared/widerface_val/split_train.txt]
        [--image-root ../shared/widerface_val/images]

Calibrates activation ranges (MinMax by default; ``--calibration
percentile --grouped-float`` is the recipe measured best in the README) on
images drawn from the training split (never the split you evaluate on),
weights int8 per channel, activations uint8. Evaluate the result with tools/deploy/eval_onnx.py and
time it with tools/analysis/onnx_latency.py.
"""
import argparse
import os.path as osp

from mmengine.config import Config

from ffmm.deploy.quantize import (CALIBRATION_METHODS, quantize_int8,
                                  sample_images)
from ffmm.utils.wider_split import REPO, SPLIT_CONFIG

# where the WIDER val splits live (configs/_base_/datasets/wider_val_split.py)
SHARED = osp.normpath(osp.join(REPO, Config.fromfile(SPLIT_CONFIG).data_root))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('onnx_in')
    parser.add_argument('onnx_out')
    parser.add_argument('--num-images', type=int, default=48)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--ops', nargs='+', default=['Conv'],
                        help='op types to quantise')
    parser.add_argument('--calibration', default='minmax',
                        choices=CALIBRATION_METHODS)
    parser.add_argument('--percentile', type=float, default=99.999,
                        help='with --calibration percentile')
    parser.add_argument('--grouped-float', action='store_true',
                        help='keep depthwise and grouped convs in float32')
    parser.add_argument('--exclude', nargs='*', default=[],
                        help='keep nodes whose name contains one of these '
                        'in float32')
    parser.add_argument('--split-file',
                        default=osp.join(SHARED, 'split_train.txt'))
    parser.add_argument('--image-root', default=osp.join(SHARED, 'images'))
    args = parser.parse_args()
    images = sample_images(args.split_file, args.image_root,
                           args.num_images, args.seed)
    quantize_int8(args.onnx_in, args.onnx_out, images, op_types=args.ops,
                  calibration=args.calibration, exclude=args.exclude,
                  percentile=args.percentile,
                  grouped_float=args.grouped_float)
    print(f'wrote {args.onnx_out} (int8 QDQ of {", ".join(args.ops)}, '
          f'calibrated on {len(images)} images of {args.split_file})')


if __name__ == '__main__':
    main()
