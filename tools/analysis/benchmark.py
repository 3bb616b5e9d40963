"""CPU latency of a model: forward plus post-processing (decode + NMS).

    python tools/analysis/benchmark.py CONFIG [--shape H W] [--threads N]
        [--runs 20] [--json FILE] [--onnx FILE [--profile-ops]]

Reports the median (and spread) over timed runs after warm-up. Weights are
random: latency does not depend on them, except through the number of
boxes reaching NMS, which the score threshold bounds.

``--onnx FILE`` times that exported model (tools/deploy/export_onnx.py) in
onnxruntime instead, with the same input shape and threads, plus the same
post-processing (score threshold, top-k, NMS of the config's test_cfg).
``--profile-ops`` adds where the network's time goes: onnxruntime's
profiler, kernel time per op type (ms per run and share).
"""
import argparse
import json
import statistics

import torch

from ffmm.analysis import (deployable_config, make_torch_runner,
                           onnx_op_profile, time_runs)
from ffmm.utils import register_all_modules


def torch_latency(config, shape, warmup, runs):
    return time_runs(make_torch_runner(config, shape), warmup, runs)


def onnx_latency(config, onnx_file, shape, warmup, runs, threads):
    import numpy as np

    from ffmm.deploy import ONNXFaceDetector

    # a distillation config's student gives the post-processing; nothing
    # is built (no teacher loaded)
    test_cfg = deployable_config(config).model.test_cfg
    detector = ONNXFaceDetector(onnx_file, dict(test_cfg), threads)
    x = (np.random.randn(1, 3, *shape) * 50 + 117).astype(np.float32)
    return time_runs(lambda: detector.postprocess(*detector.infer(x)),
                     warmup, runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--json', help='write the timings as JSON')
    parser.add_argument('--onnx', metavar='FILE',
                        help='time this ONNX export in onnxruntime instead')
    parser.add_argument('--profile-ops', action='store_true',
                        help='with --onnx: kernel time per op type')
    args = parser.parse_args()
    if args.profile_ops and not args.onnx:
        parser.error('--profile-ops profiles an ONNX file: give --onnx')
    register_all_modules()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.onnx:
        times = onnx_latency(args.config, args.onnx, tuple(args.shape),
                             args.warmup, args.runs, torch.get_num_threads())
    else:
        times = torch_latency(args.config, tuple(args.shape), args.warmup,
                              args.runs)
    report = dict(
        config=args.config, shape=args.shape,
        runtime='onnxruntime' if args.onnx else 'torch', onnx=args.onnx,
        threads=torch.get_num_threads(), runs=args.runs,
        median_ms=statistics.median(times), min_ms=min(times),
        max_ms=max(times))
    print(f'{args.config}{" [" + args.onnx + "]" if args.onnx else ""} '
          f'{args.shape[0]}x{args.shape[1]} '
          f'threads={report["threads"]}: median {report["median_ms"]:.1f} ms '
          f'(min {report["min_ms"]:.1f}, max {report["max_ms"]:.1f}, '
          f'{args.runs} runs)')
    if args.profile_ops:
        ops = onnx_op_profile(args.onnx, tuple(args.shape), args.runs,
                              torch.get_num_threads(), args.warmup)
        report['ops'] = [dict(op=o, ms=ms, share=sh) for o, ms, sh in ops]
        print(f'kernel time per op type ({sum(m for _, m, _ in ops):.1f} ms '
              'per run in all):')
        for op, ms, share in ops:
            print(f'  {op:<24} {ms:7.2f} ms {100 * share:5.1f}%')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=2)


if __name__ == '__main__':
    main()
