"""Parameter table by component and FLOPs of a config's model.

    python tools/analysis/params.py CONFIG [--shape 640 640] [--json FILE]
"""
import argparse
import json

import torch
from mmengine.analysis import get_model_complexity_info

from ffmm.analysis import build_from_config, count_parameters, param_table


def summarize(config, shape=(640, 640), flops=True):
    model, _ = build_from_config(config)
    student = getattr(model, 'student', model)
    report = dict(total=count_parameters(student),
                  modules=dict(param_table(student)))
    extra = getattr(model, 'training_only_modules', None)
    if callable(extra):
        report['training_only'] = {
            name: count_parameters(m) for name, m in extra().items()}
    if flops:
        student.eval()
        with torch.no_grad():
            info = get_model_complexity_info(
                student, input_shape=(3, *shape), show_table=False,
                show_arch=False)
        report['flops'] = int(info['flops'])
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--no-flops', action='store_true')
    parser.add_argument('--json', help='write {"total", "modules", "flops"}')
    args = parser.parse_args()
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
              f'{report["flops"] / 1e9:.3f} G (mmengine complexity analysis)')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=2)


if __name__ == '__main__':
    main()
