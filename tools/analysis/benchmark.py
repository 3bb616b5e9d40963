"""CPU latency of a model: forward plus post-processing (decode + NMS).

    python tools/analysis/benchmark.py CONFIG [--shape H W] [--threads N]
        [--runs 20] [--json FILE]

Reports the median (and spread) over timed runs after warm-up. Weights are
random: latency does not depend on them, except through the number of
boxes reaching NMS, which the score threshold bounds.
"""
import argparse
import json
import statistics
import time

import torch

from ffmm.analysis import build_from_config


def time_runs(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def torch_latency(config, shape, warmup, runs):
    model, _ = build_from_config(config)
    model = getattr(model, 'student', model).eval()
    x = torch.randn(1, 3, *shape) * 50
    meta = [dict(img_shape=shape, ori_shape=shape, scale_factor=(1., 1.))]

    @torch.no_grad()
    def run():
        outs = model._forward(x)
        model.bbox_head.predict_by_feat(*outs, batch_img_metas=meta,
                                        rescale=True)

    return time_runs(run, warmup, runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--json', help='write the timings as JSON')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    times = torch_latency(args.config, tuple(args.shape), args.warmup,
                          args.runs)
    report = dict(
        config=args.config, shape=args.shape,
        threads=torch.get_num_threads(), runs=args.runs,
        median_ms=statistics.median(times), min_ms=min(times),
        max_ms=max(times))
    print(f'{args.config} {args.shape[0]}x{args.shape[1]} '
          f'threads={report["threads"]}: median {report["median_ms"]:.1f} ms '
          f'(min {report["min_ms"]:.1f}, max {report["max_ms"]:.1f}, '
          f'{args.runs} runs)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=2)


if __name__ == '__main__':
    main()
