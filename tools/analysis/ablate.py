"""Ablation study: train and evaluate every ablation on one recipe.

    python tools/analysis/ablate.py RECIPE \
        --ablations configs/featherface/ablations/ffv2_ultra_no_*.py \
        [--seeds 0 1 2] [--ablation-seeds 0 1] [--split dev] [--jobs 2] \
        [--threads 1] [--work-dir work_dirs/ablate]

The recipe (e.g. configs/featherface/wider_split/ffv2_ultra_ablate_cpu.py)
is trained once per seed, the spread of those runs being the noise; each
ablation config's change (its difference to the config it inherits) is
moved onto the recipe and trained at the first seed (``--ablation-seeds``:
at several, the table showing their mean). Every run is then
evaluated on the split (official protocol, original size) and the table
(config, what it switches off, parameters, GFLOPs at 640x640, Easy /
Medium / Hard AP and the difference to the full model's mean) is written
as ablation.md and ablation.json in the work dir after each run.

Runs live in ``work_dir/runs/<digest of the trained config>``: run the
same command again after a stop and finished runs are reused, unfinished
ones resume from their last checkpoint; ``--table-only`` tabulates the
finished runs without training the others. ``--jobs`` runs go in parallel,
each a training process with ``--threads`` OpenMP threads.
"""
import argparse
import json
import os
import os.path as osp
import shlex
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from ffmm.analysis.ablation import (SETTINGS, final_checkpoint,
                                    markdown_table, plan_runs)

RESULT_FILE = 'result.json'
LOCK_FILE = 'running.pid'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('recipe', help='the training config of every run')
    parser.add_argument('--ablations', nargs='*', default=[],
                        help='ablation configs (each changes its _base_)')
    parser.add_argument('--reference',
                        help='read each ablation\'s change against this '
                        'config instead of its _base_')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--ablation-seeds', nargs='+', type=int,
                        help='train each ablation at these seeds (its row '
                        'shows their mean); default: the first of --seeds')
    parser.add_argument('--split', default='dev')
    parser.add_argument('--jobs', type=int, default=1)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--work-dir', default='work_dirs/ablate')
    parser.add_argument('--dry-run', action='store_true',
                        help='print the runs and what each switches')
    parser.add_argument('--table-only', action='store_true',
                        help='write the table of the finished runs and '
                        'train nothing')
    parser.add_argument('--evaluate-run', metavar='RUN_DIR',
                        help=argparse.SUPPRESS)  # the evaluation subprocess
    return parser.parse_args(argv)


def evaluate_run(run_dir, split):
    """Child process: AP, parameters and GFLOPs of one finished run."""
    from ffmm.analysis import (deployable_config, evaluate_on_split,
                               summarize)
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    set_threads()
    register_all_modules(init_default_scope=False)
    config = osp.join(run_dir, 'config.py')
    with open(osp.join(run_dir, 'run.json')) as f:
        checkpoint = json.load(f)['checkpoint']
    ap = evaluate_on_split(config, checkpoint, osp.join(run_dir, split),
                           split=split)
    # the student alone: a distilled run's teacher need not be built
    summary = summarize(deployable_config(config))
    result = dict(ap=ap, params=summary['total'], flops=summary['flops'],
                  split=split, checkpoint=checkpoint)
    with open(osp.join(run_dir, RESULT_FILE), 'w') as f:
        json.dump(result, f, indent=1)


def _child(cmd, log, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    with open(log, 'a') as f:
        f.write(f'$ {shlex.join(cmd)}\n')
        f.flush()
        code = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT,
                               env=env)
    if code:
        raise RuntimeError(f'{shlex.join(cmd)} failed ({code}); see {log}')


def read_result(run_dir):
    path = osp.join(run_dir, RESULT_FILE)
    if not osp.isfile(path):
        return None
    with open(path) as f:
        return json.load(f)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim(run_dir):
    """Whether this process may work on ``run_dir``: False while another
    live invocation holds it (so that two invocations sharing a work dir
    split the runs); a lock left by a dead process is taken over."""
    os.makedirs(run_dir, exist_ok=True)
    lock = osp.join(run_dir, LOCK_FILE)
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                with open(lock) as f:
                    pid = int(f.read().strip() or 0)
            except (OSError, ValueError):
                pid = 0
            if pid and _alive(pid):
                return False
            os.remove(lock)  # stale: its process died
            continue
        with os.fdopen(fd, 'w') as f:
            f.write(str(os.getpid()))
        return True
    return False


def execute(run, args):
    """Train (or resume) and evaluate one run; returns its result, or None
    when another invocation is working on it."""
    run_dir = run['run_dir']
    result = read_result(run_dir)
    if result is not None:
        return result
    if not claim(run_dir):
        return None
    try:
        return _train_and_evaluate(run, args)
    finally:
        os.remove(osp.join(run_dir, LOCK_FILE))


def _train_and_evaluate(run, args):
    run_dir = run['run_dir']
    config = osp.join(run_dir, 'config.py')
    run['cfg'].dump(config)
    checkpoint = final_checkpoint(run)
    with open(osp.join(run_dir, 'run.json'), 'w') as f:
        json.dump(dict(name=run['name'], switches=run['switches'],
                       seed=run['seed'], checkpoint=checkpoint), f)
    log = osp.join(run_dir, 'ablate.log')
    if not osp.isfile(checkpoint):
        cmd = [sys.executable, 'tools/train.py', config, '--work-dir',
               run_dir, '--threads', str(args.threads)]
        if osp.isfile(osp.join(run_dir, 'last_checkpoint')):
            cmd.append('--resume')
        _child(cmd, log, args.threads)
    _child([sys.executable, __file__, args.recipe, '--split', args.split,
            '--evaluate-run', run_dir], log, args.threads)
    return read_result(run_dir)


def _label(run):
    if run['full']:
        return run['name']
    return f"{run['name']} (seed {run['seed']})"


def write_table(runs, work_dir, command):
    """The table of every finished run, this invocation's or another's;
    written to the work dir and returned as markdown."""
    rows = []
    for run in runs:
        row = dict(name=run['name'], switches=run['switches'],
                   change=run['delta'], seed=run['seed'], full=run['full'],
                   run_dir=run['run_dir'])
        row.update(read_result(run['run_dir']) or {})
        rows.append(row)
    table = markdown_table(rows, command)
    with open(osp.join(work_dir, 'ablation.md'), 'w') as f:
        f.write(table)
    with open(osp.join(work_dir, 'ablation.json'), 'w') as f:
        json.dump(dict(command=command, settings=SETTINGS, rows=rows), f,
                  indent=1, default=str)
    return table


def main(argv=None):
    args = parse_args(argv)
    if args.evaluate_run:
        return evaluate_run(args.evaluate_run, args.split)
    runs = plan_runs(args.recipe, args.ablations, args.seeds, args.work_dir,
                     args.reference, args.ablation_seeds)
    if args.dry_run:
        for run in runs:
            print(f"{_label(run)}: {run['switches']} -> {run['run_dir']}")
        return
    os.makedirs(args.work_dir, exist_ok=True)
    command = shlex.join(['python', 'tools/analysis/ablate.py'] +
                         (argv if argv is not None else sys.argv[1:]))
    if args.table_only:
        print(write_table(runs, args.work_dir, command))
        return
    lock, failed, elsewhere = threading.Lock(), [], []
    # a run shared by two entries (same trained config) is done once
    unique = list({run['run_dir']: run for run in runs}.values())

    def work(run):
        # any error ends this run only: an exception escaping here would
        # make pool.map cancel every queued run
        try:
            result = execute(run, args)
            with lock:
                if result is None:
                    elsewhere.append(run['name'])
                    print(f"{run['name']}: running in another invocation",
                          flush=True)
                    return
                write_table(runs, args.work_dir, command)
                ap = ' / '.join(f"{100 * result['ap'][s]:.2f}"
                                for s in SETTINGS)
                print(f'{_label(run)}: {ap}', flush=True)
        except Exception as e:  # noqa: BLE001
            print(f'error: {run["name"]}: {e!r}', flush=True)
            failed.append(run['name'])

    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        list(pool.map(work, unique))
    print(write_table(runs, args.work_dir, command))
    if elsewhere:
        print(f'still running in another invocation: {elsewhere}; run '
              'this command again when they are done for the full table')
    if failed:
        raise SystemExit(f'failed runs: {failed}')


if __name__ == '__main__':
    main()
