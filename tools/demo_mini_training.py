"""`make demo-train`: the FeatherFace story on the embedded mini WIDER FACE
set (a few CPU minutes).

1. trains a FeatherFace V1 teacher briefly,
2. distills the V2-Ultra student from it,
3. evaluates both on the mini val set (plain student config: the saved
   checkpoint holds the student only),
4. prints parameters, CPU latency and AP of teacher and student, and
5. draws the student's detections on a few val images.

Everything is a short CPU run: the numbers show the pipeline working end to
end, not the published WIDER FACE accuracy.
"""
import argparse
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TEACHER = 'configs/featherface/featherface_v1_mini.py'
DISTILL = 'configs/featherface/ffv2_ultra_mini.py'
STUDENT = 'configs/featherface/ffv2_ultra_student_mini.py'


def run(*args):
    print('+', ' '.join(args), flush=True)
    subprocess.run([sys.executable, *args], cwd=REPO, check=True)


def data_options(data_root):
    root = osp.abspath(data_root) + '/'
    return [f'{split}_dataloader.dataset.data_root={root}'
            for split in ('train', 'val', 'test')]


def train(config, work_dir, data_root, *extra):
    # no validation at the end of training: evaluate() tests each model
    # once afterwards (the student with its plain config)
    run('tools/train.py', config, '--work-dir', work_dir, '--cfg-options',
        *data_options(data_root), 'val_cfg=None', 'val_dataloader=None',
        'val_evaluator=None', *extra)
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        return f.read().strip()


def evaluate(config, ckpt, work_dir, data_root):
    run('tools/test.py', config, ckpt, '--work-dir', work_dir,
        '--cfg-options', *data_options(data_root))
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.json')),
                  key=osp.getmtime)
    with open(logs[-1]) as f:
        return json.load(f)['widerface/all']


def size_and_latency(config, shape=(640, 640)):
    from ffmm.analysis import make_torch_runner, summarize, time_runs
    params = summarize(config, flops=False)['total']
    times = time_runs(make_torch_runner(config, shape), warmup=2, runs=7)
    return params, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default='data/mini_widerface')
    parser.add_argument('--work-dir', default='work_dirs/demo_training')
    args = parser.parse_args()
    from ffmm.utils import register_all_modules
    register_all_modules()
    work = osp.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)

    teacher_ckpt = train(TEACHER, osp.join(work, 'featherface_v1'),
                         args.data_root)
    student_ckpt = train(DISTILL, osp.join(work, 'ffv2_ultra'),
                         args.data_root,
                         f'model.teachers.0.checkpoint={teacher_ckpt}')
    rows = []
    for name, config, ckpt in (('FeatherFace V1 (teacher)', TEACHER,
                                teacher_ckpt),
                               ('FeatherFace V2-Ultra (student, distilled)',
                                STUDENT, student_ckpt)):
        ap = evaluate(config, ckpt, osp.join(work, 'test_' + osp.basename(
            osp.dirname(ckpt))), args.data_root)
        params, latency = size_and_latency(config)
        rows.append(dict(model=name, params=params, latency_ms=latency,
                         ap=ap))
    val_images = sorted(
        glob.glob(osp.join(args.data_root, 'val', 'images', '*', '*.jpg')))
    run('tools/detect.py', STUDENT, student_ckpt, *val_images[:6],
        '--out-dir', osp.join(work, 'detections'), '--score-thr', '0.5')

    lines = ['| model | parameters | CPU latency 640x640 (ms) | mini val AP |',
             '|---|---:|---:|---:|']
    lines += [f'| {r["model"]} | {r["params"]:,} | {r["latency_ms"]:.0f} | '
              f'{r["ap"]:.4f} |' for r in rows]
    table = '\n'.join(lines)
    with open(osp.join(work, 'summary.json'), 'w') as f:
        json.dump(rows, f, indent=2)
    print('\n' + table)
    print(f'\nimages with the student\'s detections: '
          f'{osp.join(work, "detections")}')


if __name__ == '__main__':
    main()
