"""One row per config: parameters by component, total and FLOPs.

    python tools/analysis/params_table.py CONFIG... [--markdown]
        [--shape 640 640] [--no-flops] [--json FILE]

Components and totals come from ``tools/analysis/params.py``'s
``summarize`` (the deployed student for a distillation config). FLOPs are
mmengine's complexity analysis at the given input size (one multiply-add
counts as one FLOP), plus the deformable convs, which mmengine cannot
trace: each one is counted as the convolution of the same shape (the
bilinear sampling is not counted).
"""
import argparse
import json
import logging
import os.path as osp

from mmengine.logging import MMLogger

from ffmm.analysis import summarize
from ffmm.analysis.model_summary import ORDER
from ffmm.utils import register_all_modules


def config_name(path):
    path = osp.normpath(path)
    parts = path.split(osp.sep)
    if 'configs' in parts:
        parts = parts[len(parts) - parts[::-1].index('configs'):]
    return '/'.join(parts)


def table_rows(configs, shape=(640, 640), flops=True):
    rows = []
    for config in configs:
        report = summarize(config, shape, flops)
        row = dict(config=config_name(config), total=report['total'],
                   **{g: report['modules'].get(g, 0) for g in ORDER})
        if flops:
            row['flops'] = report['flops']
        rows.append(row)
    return rows


def format_table(rows, shape, markdown=False):
    flops = 'flops' in rows[0] if rows else False
    head = ['config', *ORDER, 'total']
    if flops:
        head.append(f'GFLOPs@{shape[0]}x{shape[1]}')

    def cells(row):
        out = [row['config']] + [f'{row[k]:,}' for k in (*ORDER, 'total')]
        if flops:
            out.append(f'{row["flops"] / 1e9:.3f}')
        return out

    body = [cells(r) for r in rows]
    if markdown:
        lines = ['| ' + ' | '.join(head) + ' |',
                 '|' + '|'.join([':---'] + ['---:'] * (len(head) - 1)) + '|']
        lines += ['| ' + ' | '.join(c) + ' |' for c in body]
        return '\n'.join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = [f'{{:<{widths[0]}}}'] + [f'{{:>{w}}}' for w in widths[1:]]
    return '\n'.join('  '.join(f.format(c) for f, c in zip(fmt, line))
                     for line in [head, *body])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--markdown', action='store_true',
                        help='print a markdown table')
    parser.add_argument('--shape', nargs=2, type=int, default=[640, 640])
    parser.add_argument('--no-flops', action='store_true')
    parser.add_argument('--json', help='write the rows as JSON')
    parser.add_argument('--verbose', action='store_true',
                        help="keep mmengine's warnings (unsupported ops)")
    args = parser.parse_args()
    register_all_modules()
    if not args.verbose:
        MMLogger.get_current_instance().setLevel(logging.ERROR)
    shape = tuple(args.shape)
    rows = table_rows(args.configs, shape, not args.no_flops)
    print(format_table(rows, shape, args.markdown))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
