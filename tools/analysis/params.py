"""Parameter table by component and FLOPs of a config's model.

    python tools/analysis/params.py CONFIG [--shape 640 640] [--json FILE]
"""
import argparse
import json

from ffmm.analysis import summarize
from ffmm.utils import register_all_modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--no-flops', action='store_true')
    parser.add_argument('--json', help='write {"total", "modules", "flops"}')
    args = parser.parse_args()
    register_all_modules()
    report = summarize(args.config, tuple(args.shape), not args.no_flops)
    print(f'{args.config}')
    print(f'{"component":<12} {"params":>10}')
    for name, n in report['modules'].items():
        print(f'{name:<12} {n:>10,}')
    print(f'{"total":<12} {report["total"]:>10,}')
    for name, n in report.get('training_only', {}).items():
        print(f'{name + " *":<12} {n:>10,}   (training only, not deployed)')
    if 'flops' in report:
        print(f'FLOPs at {args.shape[0]}x{args.shape[1]}: '
              f'{report["flops"] / 1e9:.3f} G (mmengine complexity analysis '
              'plus deformable convs)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=2)


if __name__ == '__main__':
    main()
