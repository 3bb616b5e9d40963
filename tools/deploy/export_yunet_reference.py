"""Export the YuNet-n architecture with random weights to ONNX, for latency.

    python tools/deploy/export_yunet_reference.py OUT.onnx
        [--shape 640x640] [--dynamic] [--seed 0] [--opset 11]

A stand-in for the official YuNet-n ONNX (libfacedetection.train, config
yunet_n) when that file cannot be downloaded: same layers, input
("input", raw BGR 0..255, sides multiples of 32) and outputs (cls_8 ..
kps_32), but random weights, so its detections are meaningless. Time it
against ours with tools/analysis/onnx_latency.py; see
ffmm/deploy/reference_yunet.py.
"""
import argparse
import os
import os.path as osp

import onnx

from ffmm.analysis import count_parameters
from ffmm.deploy import onnx_parameter_count
from ffmm.deploy.reference_yunet import (OUTPUT_NAMES,
                                         export_yunet_n_architecture)
from ffmm.utils.tool_checks import image_size_arg


def shape_arg(text):
    return image_size_arg(text, divisor=32)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        epilog='\n'.join(__doc__.split('\n')[5:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out', help='ONNX file to write')
    parser.add_argument('--shape', type=shape_arg, default=(640, 640),
                        help='example input size HxW')
    parser.add_argument('--dynamic', action='store_true',
                        help='dynamic batch, height and width')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the random weights')
    parser.add_argument('--opset', type=int, default=11,
                        help='11, as the official export')
    args = parser.parse_args()

    h, w = args.shape
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    model = export_yunet_n_architecture(args.out, h, w,
                                        dynamic=args.dynamic, seed=args.seed,
                                        opset_version=args.opset)
    params = count_parameters(model)
    print(f'wrote {args.out} (YuNet-n architecture, RANDOM weights, '
          f'{"dynamic" if args.dynamic else "static"} 1x3x{h}x{w}, '
          f'opset {args.opset})')
    folded = onnx_parameter_count(onnx.load(args.out))
    print(f'parameters: {params:,} (PyTorch, as the published count); '
          f'{folded:,} in the graph (BatchNorm folded)')
    print('outputs: ' + ', '.join(OUTPUT_NAMES))


if __name__ == '__main__':
    main()
