"""Time `tools/eval_widerface.py` end to end on the full WIDER FACE val set.

    python tools/analysis/bench_widerface_eval.py [--gt DIR] [--preds DIR]

Without --preds, the seed-0 predictions of ../shared/tools/make_wider_preds.py
are generated into a temporary folder; for those the official evaluation
gives the reference APs below, which are checked too.
"""
import argparse
import json
import os.path as osp
import statistics
import subprocess
import sys
import tempfile
import time

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SHARED = osp.normpath(osp.join(REPO, '..', 'shared'))
# Official evaluation of the seed-0 predictions (../shared/README.md).
SEED0_AP = dict(
    easy=0.793932877410049, medium=0.8127629833619302, hard=0.8245757601566586)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument(
        '--gt',
        default=osp.join(SHARED, 'widerface_gt'),
        help='folder with wider_*_val.mat')
    parser.add_argument('--preds', help='predictions folder to evaluate')
    parser.add_argument('--repeats', type=int, default=5)
    return parser.parse_args()


def run_eval(pred_dir, gt_dir):
    """Wall time and APs (full precision, from --out-json) of one run of the
    evaluation tool."""
    with tempfile.TemporaryDirectory() as tmp:
        out_json = osp.join(tmp, 'aps.json')
        start = time.perf_counter()
        proc = subprocess.run([
            sys.executable, 'tools/eval_widerface.py', pred_dir, '--gt',
            gt_dir, '--out-json', out_json
        ], cwd=REPO, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode:
            sys.exit(f'eval_widerface.py failed:\n{proc.stderr[-2000:]}')
        with open(out_json) as f:
            return elapsed, json.load(f)


def bench(pred_dir, gt_dir, repeats, reference=None):
    times = []
    for _ in range(repeats):
        elapsed, aps = run_eval(pred_dir, gt_dir)
        times.append(elapsed)
    for name, ap in aps.items():
        line = f'{name:<6} AP: {ap:.10f}'
        if reference:
            line += f'  (official {reference[name]:.10f}, ' \
                    f'diff {ap - reference[name]:+.1e})'
        print(line)
    print(f'eval_widerface.py wall time over {repeats} runs: median '
          f'{statistics.median(times):.2f} s (min {min(times):.2f}, max '
          f'{max(times):.2f})')


def main():
    args = parse_args()
    if args.preds:
        bench(args.preds, args.gt, args.repeats)
        return
    maker = osp.join(SHARED, 'tools', 'make_wider_preds.py')
    if not osp.isfile(maker):
        sys.exit(f'{maker} not found: pass --preds')
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, maker, args.gt, tmp, '0'],
                       check=True, capture_output=True)
        print(f'generated seed-0 predictions in '
              f'{time.perf_counter() - start:.1f} s')
        bench(tmp, args.gt, args.repeats, SEED0_AP)


if __name__ == '__main__':
    main()
