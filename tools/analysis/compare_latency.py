"""CPU latency of two models measured interleaved in one process.

    python tools/analysis/compare_latency.py CONFIG_A CONFIG_B
        [--shape 640 640] [--threads N] [--warmup 3] [--runs 20] [--json F]

Same measurement as ``tools/analysis/benchmark.py`` (forward plus
post-processing, random weights, median over timed runs after warm-up), but
the two models alternate run by run (A B, B A, A B, ...), so that load from
other processes on a shared machine hits both alike. Reports each median
and ``B / A`` both as the ratio of the medians and as the median of the
per-round ratios.
"""
import argparse
import json
import statistics

import torch

from ffmm.analysis import make_torch_runner, timed
from ffmm.utils import register_all_modules


def compare(config_a, config_b, shape=(640, 640), warmup=3, runs=20):
    torch.manual_seed(0)
    run_a, run_b = make_torch_runner(config_a, shape), make_torch_runner(
        config_b, shape)
    for _ in range(warmup):
        run_a()
        run_b()
    times_a, times_b = [], []
    for i in range(runs):
        if i % 2 == 0:
            times_a.append(timed(run_a))
            times_b.append(timed(run_b))
        else:
            times_b.append(timed(run_b))
            times_a.append(timed(run_a))
    med_a, med_b = statistics.median(times_a), statistics.median(times_b)
    return dict(
        shape=list(shape), threads=torch.get_num_threads(), runs=runs,
        a=dict(config=config_a, median_ms=med_a, min_ms=min(times_a),
               max_ms=max(times_a)),
        b=dict(config=config_b, median_ms=med_b, min_ms=min(times_b),
               max_ms=max(times_b)),
        ratio_of_medians=med_b / med_a,
        median_of_ratios=statistics.median(
            b / a for a, b in zip(times_a, times_b)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config_a')
    parser.add_argument('config_b')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--json', help='write the report as JSON')
    args = parser.parse_args()
    register_all_modules()
    if args.threads:
        torch.set_num_threads(args.threads)
    report = compare(args.config_a, args.config_b, tuple(args.shape),
                     args.warmup, args.runs)
    print(f'{args.shape[0]}x{args.shape[1]}, threads={report["threads"]}, '
          f'{args.runs} interleaved runs each')
    for key in ('a', 'b'):
        r = report[key]
        print(f'  {key.upper()} {r["config"]}: median {r["median_ms"]:.1f} ms '
              f'(min {r["min_ms"]:.1f}, max {r["max_ms"]:.1f})')
    print(f'  B/A: {report["ratio_of_medians"]:.3f} (ratio of medians), '
          f'{report["median_of_ratios"]:.3f} (median of per-round ratios)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=2)


if __name__ == '__main__':
    main()
