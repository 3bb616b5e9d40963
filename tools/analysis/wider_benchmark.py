"""The WIDER FACE results table: size, speed and AP of several models.

    python tools/analysis/wider_benchmark.py CONFIG CKPT [CONFIG CKPT ...] \
        [--split dev] [--names A B ...] [--flip-tta I ...] [--threads 1] \
        [--out-dir work_dirs/wider_benchmark]

For each model: parameters and GFLOPs at 640x640 of the deployed detector
(a distillation config's student), median CPU latency at 640x640 (forward,
decode and NMS; ``--threads``), and Easy / Medium / Hard AP with the
official protocol on the split (original image size). ``--flip-tta I``
adds a row for model I (1-based) tested with horizontal-flip test-time
augmentation. Prints a markdown table and writes it with a JSON file to
``--out-dir``. ``--reuse-ap FILE [FILE ...]`` takes the AP of a row from
earlier runs' JSON (a later file wins) when config (path and what it
makes of the model and test pipeline), checkpoint (same size and
modification time), split and TTA match; parameters, GFLOPs and latency
are always measured.
"""
import argparse
import json
import os
import os.path as osp
import statistics

from ffmm.utils.tool_checks import config_ckpt_pairs

SETTINGS = ('easy', 'medium', 'hard')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('models', nargs='+', metavar='CONFIG CKPT',
                        help='config and checkpoint pairs')
    parser.add_argument('--split', default='dev', help='dev or train')
    parser.add_argument('--names', nargs='+', help='a row name per model')
    parser.add_argument('--flip-tta', nargs='+', type=int, default=[],
                        metavar='I', help='also test model I with flip TTA')
    parser.add_argument('--threads', type=int,
                        help='CPU threads (default: OMP_NUM_THREADS, else '
                        'all cores)')
    parser.add_argument('--runs', type=int, default=10,
                        help='timed runs for the latency median')
    parser.add_argument('--out-dir', default='work_dirs/wider_benchmark')
    parser.add_argument('--reuse-ap', metavar='JSON', nargs='+',
                        default=[],
                        help='APs measured by earlier runs of this tool')
    args = parser.parse_args()
    pairs = config_ckpt_pairs(parser, args.models)
    if args.names and len(args.names) != len(pairs):
        parser.error(f'--names needs {len(pairs)} names')
    bad = [i for i in args.flip_tta if not 1 <= i <= len(pairs)]
    if bad:
        parser.error(f'--flip-tta: no model {bad}')
    return args, pairs


def measure(config, runs):
    from ffmm.analysis import (deployable_config, make_torch_runner,
                               summarize, time_runs)
    cfg = deployable_config(config)
    report = summarize(cfg, shape=(640, 640))
    times = time_runs(make_torch_runner(cfg, (640, 640)), 2, runs)
    return dict(params=report['total'], gflops=report['flops'] / 1e9,
                latency_ms=statistics.median(times))


def checkpoint_id(path):
    """What must not change for a stored AP to be reused."""
    st = os.stat(path)
    return dict(size=st.st_size, mtime=int(st.st_mtime))


def config_digest(config):
    """SHA-256 of what a config makes of the tested model (model and test
    pipeline): an edited config file must not reuse its old AP."""
    import hashlib

    from ffmm.analysis import deployable_config
    cfg = deployable_config(config)
    text = json.dumps([cfg.model.to_dict(),
                       cfg.test_dataloader.dataset.pipeline],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def reuse_key(split, tta, ckpt_id, digest):
    # no paths: a renamed config or checkpoint file that is the same
    # model (digest) and the same file (size, mtime) keeps its AP
    return (split, tta, json.dumps(ckpt_id), digest)


def stored_ap(paths):
    """``{reuse_key: ap}`` of the rows of every JSON in ``paths``, a later
    file winning; rows stored without a digest are never reused."""
    reuse = {}
    for path in paths:
        with open(path) as f:
            rows = json.load(f)['rows']
        reuse.update({reuse_key(r['split'], r['tta'], r.get('checkpoint_id'),
                                r['config_digest']): r['ap']
                      for r in rows if 'config_digest' in r})
    return reuse


def markdown(rows, threads):
    head = ('| model | params | GFLOPs@640 | CPU ms@640 '
            f'({threads} thr) | Easy | Medium | Hard |')
    lines = [head, '|:---|---:|---:|---:|---:|---:|---:|']
    for r in rows:
        lines.append(
            f'| {r["name"]} | {r["params"]:,} | {r["gflops"]:.3f} | ' +
            ('2 x ' if r['passes'] == 2 else '') +
            f'{r["latency_ms"]:.0f} | ' +
            ' | '.join(f'{100 * r["ap"][s]:.2f}' for s in SETTINGS) + ' |')
    return '\n'.join(lines)


def main():
    args, pairs = parse_args()
    from ffmm.analysis import evaluate_on_split
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    register_all_modules()
    threads = set_threads(args.threads)
    names = args.names or [
        osp.splitext(osp.basename(c))[0] for c, _ in pairs]
    jobs = [(i, False) for i in range(len(pairs))]
    jobs += [(i - 1, True) for i in args.flip_tta]
    os.makedirs(args.out_dir, exist_ok=True)
    reuse = stored_ap(args.reuse_ap)
    rows, sizes, digests = [], {}, {}
    for i, tta in jobs:
        config, ckpt = pairs[i]
        if i not in sizes:
            sizes[i] = measure(config, args.runs)
            digests[i] = config_digest(config)
        name = names[i] + (' + flip TTA' if tta else '')
        work_dir = osp.join(args.out_dir, f'{i + 1}_{names[i]}' +
                            ('_flip' if tta else ''))
        ckpt_id, digest = checkpoint_id(ckpt), digests[i]
        key = reuse_key(args.split, tta, ckpt_id, digest)
        if key in reuse:
            ap, reused = reuse[key], True
            print(f'{name}: AP reused from {args.reuse_ap}')
        else:
            ap = evaluate_on_split(config, ckpt, work_dir, args.split, tta)
            reused = False
        row = dict(name=name, config=config, checkpoint=ckpt, tta=tta,
                   split=args.split, ap=ap, checkpoint_id=ckpt_id,
                   config_digest=digest,
                   ap_reused=reused, **sizes[i])
        row['passes'] = 2 if tta else 1  # flip TTA: two forward passes
        rows.append(row)
    table = markdown(rows, threads)
    print(table)
    with open(osp.join(args.out_dir, 'wider_benchmark.md'), 'w') as f:
        f.write(table + '\n')
    with open(osp.join(args.out_dir, 'wider_benchmark.json'), 'w') as f:
        json.dump(dict(split=args.split, threads=threads, rows=rows), f,
                  indent=2)


if __name__ == '__main__':
    main()
