"""Export an ffmm face detector to ONNX (no mmdeploy needed).

    python tools/deploy/export_onnx.py CONFIG CHECKPOINT OUT.onnx
        [--shape H W] [--batch N] [--dynamic] [--opset 17] [--verify]

Input "image": float32 N x 3 x H x W, BGR channel order (cv2.imread),
pixel values 0..255, NOT normalised: the graph subtracts the mean (and
divides by the std) of the model's data preprocessor itself.
Outputs, one row per anchor, before score filtering and NMS: "boxes"
N x A x 4 (x1 y1 x2 y2, input pixels), "scores" N x A (face probability),
"landmarks" N x A x 5 x 2 (input pixels). --dynamic makes N, H, W (and A)
dynamic; FeatherFace graphs then take sides that are multiples of 32 (the
padding of their BiFPN max pools is fixed), which ffmm.deploy's
ONNXFaceDetector pads to with the mean colour. The same convention is
written into the model's doc_string and metadata_props.

CHECKPOINT may be "none" to export the freshly initialised model (for
latency tests). Models with mmcv deformable convolutions (FeatherFace V1)
are refused: ONNX has no standard operator for them.

BatchNorm layers that follow a convolution are folded into it, so the
graph's parameter count (printed) is the model's count minus 2C per folded
BN plus C per bias-free conv that gained a bias.
"""
import argparse
import os
import os.path as osp
import sys

import numpy as np
import torch


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        epilog='\n'.join(__doc__.split('\n')[5:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint file, or "none"')
    parser.add_argument('out', help='ONNX file to write')
    parser.add_argument('--shape',
                        nargs=2,
                        type=int,
                        default=[640, 640],
                        metavar=('H', 'W'),
                        help='example input size')
    parser.add_argument('--batch',
                        type=int,
                        default=1,
                        help='example batch size')
    parser.add_argument('--dynamic',
                        action='store_true',
                        help='dynamic batch, height and width')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--verify',
                        action='store_true',
                        help='compare onnxruntime with PyTorch on a random '
                        'image of --shape')
    return parser.parse_args()


def main():
    args = parse_args()
    from ffmm.analysis import build_from_config
    from ffmm.deploy import (FaceDetectorONNXWrapper, UnsupportedModelError,
                             export_onnx)
    from ffmm.utils import register_all_modules
    from ffmm.utils.checkpoint_load import (CheckpointError,
                                            load_checkpoint_strict)
    register_all_modules()

    model, _ = build_from_config(args.config)
    # a distillation config deploys its student (its checkpoints hold the
    # student's weights only)
    model = getattr(model, 'student', model)
    if args.checkpoint.lower() != 'none':
        try:
            load_checkpoint_strict(model, args.checkpoint)
        except CheckpointError as e:
            sys.exit(f'error: {e}')
    model.eval()
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    try:
        info = export_onnx(model,
                           args.out,
                           shape=tuple(args.shape),
                           batch_size=args.batch,
                           dynamic=args.dynamic,
                           opset_version=args.opset,
                           metadata=dict(config=osp.basename(args.config),
                                         checkpoint=osp.basename(
                                             args.checkpoint)))
    except UnsupportedModelError as e:
        sys.exit(f'error: {e}')
    print(f'wrote {args.out} ({"dynamic" if args.dynamic else "static"} '
          f'{args.batch}x3x{args.shape[0]}x{args.shape[1]}, mean '
          f'{info["mean"]}, std {info["std"]})')
    print(f'parameters: torch {info["torch_params"]:,}, with BN folded '
          f'{info["folded_params"]:,}, ONNX {info["onnx_params"]:,}')
    if info['onnx_params'] != info['folded_params']:
        print('note: the ONNX count differs from the BN-folded count: the '
              'exporter merges tensors with identical values (e.g. the zero '
              'biases of folded untrained BatchNorms of a fresh model)')
    if args.verify:
        import onnxruntime as ort
        image = torch.rand(args.batch, 3, *args.shape) * 255
        with torch.no_grad():
            ref = FaceDetectorONNXWrapper(model).eval()(image)
        sess = ort.InferenceSession(args.out,
                                    providers=['CPUExecutionProvider'])
        outs = sess.run(None, {'image': image.numpy()})
        for name, r, o in zip(('boxes', 'scores', 'landmarks'), ref, outs):
            diff = np.abs(r.numpy() - o).max()
            print(f'verify {name}: max |torch - onnxruntime| = {diff:.2e}')


if __name__ == '__main__':
    main()
