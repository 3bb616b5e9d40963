"""Side-by-side CPU latency of ONNX face detectors, interleaved in one
process (ffmm.analysis.onnx_latency).

    python tools/analysis/onnx_latency.py A.onnx B.onnx ... [--names ...]
        [--shapes 640x640 736x1024] [--threads 1 0] [--rounds 30]
        [--repeats 3] [--end-to-end] [--json F] [--markdown F]

The first file is the reference of the ratios. Any face detector's ONNX
can be timed (network only; a static input is timed at its own size only);
``--end-to-end`` times ffmm exports from a uint8 BGR image to the final
detections (conversion, padding, network, threshold, NMS). ``--threads 0``
means all cores. Export ffmm models with ``tools/deploy/export_onnx.py
--dynamic`` to time them at several sizes. Compare ratios: absolute times
depend on the machine and its load.
"""
import argparse
import json

from ffmm.analysis.onnx_latency import latency_table, markdown_table
from ffmm.utils.tool_checks import image_size_arg


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('onnx', nargs='+')
    parser.add_argument('--names', nargs='+', help='one per ONNX file')
    parser.add_argument('--shapes', nargs='+', type=image_size_arg,
                        default=[(640, 640)])
    parser.add_argument('--threads', nargs='+', type=int, default=[1])
    parser.add_argument('--rounds', type=int, default=30)
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--end-to-end', action='store_true')
    parser.add_argument('--json', help='write the rows as JSON')
    parser.add_argument('--markdown', help='write the table here too')
    args = parser.parse_args()
    if args.names and len(args.names) != len(args.onnx):
        parser.error('give one name per ONNX file')
    rows = latency_table(args.onnx, args.names, args.shapes, args.threads,
                         args.rounds, args.warmup, args.repeats,
                         args.end_to_end)
    table = markdown_table(rows)
    print(table)
    if args.markdown:
        with open(args.markdown, 'w') as f:
            f.write(table + '\n')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(rows, f, indent=2)


if __name__ == '__main__':
    main()
