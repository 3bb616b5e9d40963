"""Short CPU benchmark: a student trained with and without distillation.

    python tools/analysis/bench_distillation.py \
        --student-config configs/distillation/students/retinaface_c32_mini.py \
        --teacher-config configs/retinaface/retinaface_mnet025_widerface.py \
        --teacher-ckpt work_dirs/teachers/retinaface_mnet025_widerface.pth \
        --iters 150 --data-root data/mini_widerface

Trains the student twice on the mini WIDER FACE set with the same seed,
data order and iterations: once wrapped in a ``FaceDistiller`` with the
teacher (losses and T/alpha schedule of
``configs/_base_/distillation/kd_default.py`` squeezed into the run, or the
model and hooks of ``--distill-config``), once alone. Both final
checkpoints are then evaluated with the plain student config on the mini
val set (the distillation checkpoint loads into it unchanged), next to the
teacher's own AP, and the logged distillation losses of the first and last
logging windows are compared.

A missing teacher checkpoint is converted from
``../shared/weights/retinaface_mnet025_widerface.pth`` when the teacher is
the RetinaFace config; a missing data root is generated with
``tools/dataset/make_mini_widerface.py``. Results are also written to
``WORK_DIR/summary.json``.
"""
import argparse
import copy
import json
import os
import os.path as osp
import subprocess
import sys
import time
from glob import glob

from mmengine.config import Config, ConfigDict
from mmengine.runner import Runner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SHARED = osp.normpath(osp.join(REPO, '..', 'shared'))
KD_DEFAULT = osp.join(REPO, 'configs/_base_/distillation/kd_default.py')
KD_KEYS = ('kd_cls', 'kd_loc', 'kd_feat', 'kd_att')


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--student-config', default=osp.join(
        REPO, 'configs/distillation/students/retinaface_c32_mini.py'),
        help='plain student config (or a distillation config, whose '
        'student is taken); its data settings are used for both runs')
    p.add_argument('--teacher-config', default=osp.join(
        REPO, 'configs/retinaface/retinaface_mnet025_widerface.py'))
    p.add_argument('--teacher-ckpt', default=osp.join(
        REPO, 'work_dirs/teachers/retinaface_mnet025_widerface.pth'))
    p.add_argument('--distill-config',
                   help='take the FaceDistiller settings (model minus the '
                   'student and the teachers, custom_hooks) from this '
                   'config instead of kd_default.py, e.g. an ablation')
    p.add_argument('--iters', type=int, default=150)
    p.add_argument('--data-root', default=osp.join(REPO,
                                                   'data/mini_widerface'))
    p.add_argument('--work-dir', default=osp.join(
        REPO, 'work_dirs/bench_distillation'))
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--batch-size', type=int, default=8)
    p.add_argument('--img-size', type=int, default=320)
    p.add_argument('--log-interval', type=int, default=10)
    p.add_argument('--pretrained', default='auto',
                   help="backbone ImageNet weights for the student: a path, "
                   "'none', or 'auto' (the config's file, else the copy in "
                   "../shared/weights)")
    p.add_argument('--skip-teacher-eval', action='store_true')
    return p.parse_args()


def ensure_teacher_ckpt(args):
    if osp.isfile(args.teacher_ckpt):
        return args.teacher_ckpt
    src = osp.join(SHARED, 'weights', 'retinaface_mnet025_widerface.pth')
    if 'retinaface' in osp.basename(args.teacher_config) and osp.isfile(src):
        dst = osp.join(args.work_dir, 'teacher_retinaface.pth')
        tool = osp.join(REPO, 'tools/convert_ckpt.py')
        subprocess.run([sys.executable, tool, '--from', 'retinaface', src,
                        dst], check=True)
        return dst
    raise SystemExit(f'teacher checkpoint {args.teacher_ckpt} not found')


def ensure_data(root):
    if not osp.isfile(osp.join(root, 'train', 'label.txt')):
        subprocess.run([sys.executable, osp.join(
            REPO, 'tools/dataset/make_mini_widerface.py'), root], check=True)
    return root.rstrip('/') + '/'


def plain_student(cfg):
    """A distillation config stands for its student here."""
    if cfg.model.get('type') == 'FaceDistiller':
        cfg.model = cfg.model.student
        cfg.custom_hooks = []
    return cfg


def resolve_pretrained(args, cfg):
    if args.pretrained == 'none':
        return None
    if args.pretrained != 'auto':
        return args.pretrained
    init = cfg.model.backbone.get('init_cfg') or {}
    path = init.get('checkpoint')
    if path and osp.isfile(osp.join(REPO, path)):
        return osp.join(REPO, path)
    shared = osp.join(SHARED, 'weights', 'mobilenetV1X0.25_pretrain.tar')
    return shared if osp.isfile(shared) else None


def student_run_config(args, data_root, name):
    """The student config adapted to a short iteration-based run."""
    cfg = plain_student(Config.fromfile(args.student_config))
    pretrained = resolve_pretrained(args, cfg)
    cfg.model.backbone.init_cfg = dict(
        type='Pretrained', checkpoint=pretrained) if pretrained else None
    size = args.img_size
    cfg.train_dataloader.batch_size = args.batch_size
    cfg.train_dataloader.dataset.data_root = data_root
    # the mini configs' own pipeline, at the requested crop size
    for t in cfg.train_dataloader.dataset.pipeline:
        if t.type == 'RandomSquareCrop':
            t.out_size = size
        elif t.type == 'FaceResize':
            t.scale = (size, size)
    n = args.iters
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=n,
                         val_interval=n + 1)
    # evaluation happens afterwards, with the plain student config
    cfg.val_dataloader = cfg.val_evaluator = cfg.val_cfg = None
    cfg.test_dataloader = cfg.test_evaluator = cfg.test_cfg = None
    warmup = max(1, min(30, n // 10))
    cfg.param_scheduler = [
        dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
             end=warmup),
        dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup,
             end=n, eta_min=1e-5),
    ]
    cfg.default_hooks.logger = dict(type='LoggerHook',
                                    interval=args.log_interval)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        by_epoch=False, interval=n,
                                        max_keep_ckpts=1)
    # each logged value is the mean of its own logging window
    cfg.log_processor = dict(type='LogProcessor', by_epoch=False,
                             window_size=args.log_interval)
    cfg.randomness = dict(seed=args.seed)
    cfg.custom_hooks = []
    cfg.work_dir = osp.join(args.work_dir, name)
    unique_names(cfg, f'bench_{name}')
    return cfg


def unique_names(cfg, name):
    """Own logger/message hub/visualizer instances for each in-process run
    (a reused visualizer would write into the previous run's logs)."""
    cfg.experiment_name = f'{name}_{int(time.time())}'
    if cfg.get('visualizer') is not None:
        cfg.visualizer.name = f'visualizer_{cfg.experiment_name}'


def distill_run_config(args, data_root, teacher_ckpt):
    cfg = student_run_config(args, data_root, 'distill')
    student = copy.deepcopy(cfg.model)
    if args.distill_config:
        src = Config.fromfile(args.distill_config)
        model = ConfigDict(copy.deepcopy(src.model))
        hooks = copy.deepcopy(src.get('custom_hooks', []))
    else:
        kd = Config.fromfile(KD_DEFAULT)
        # the default distiller of kd_default.py is the default recipe
        model = ConfigDict(copy.deepcopy(kd.kd_model))
        hooks = copy.deepcopy(kd.kd_iter_hooks)
    model.student = student
    model.teachers = [dict(config=args.teacher_config,
                           checkpoint=teacher_ckpt, weight=1.0)]
    model.pop('teacher_config', None)
    model.pop('teacher_ckpt', None)
    cfg.model = model
    cfg.custom_hooks = hooks
    return cfg


def evaluate(config, ckpt, data_root, work_dir, name, model_config=None):
    """Mini-val AP of ``ckpt`` with the data/metric settings of ``config``
    (and the model of ``model_config`` when given)."""
    from ffmm.analysis.wider_eval import test_with_checkpoint
    cfg = plain_student(Config.fromfile(config))
    if model_config is not None:
        cfg.model = plain_student(Config.fromfile(model_config)).model
    cfg.model.backbone.init_cfg = None
    cfg.test_dataloader.dataset.data_root = data_root
    cfg.work_dir = osp.join(work_dir, f'eval_{name}')
    unique_names(cfg, f'bench_eval_{name}')
    cfg.default_hooks.logger = dict(type='LoggerHook', interval=1000)
    cfg.pop('custom_hooks', None)
    # a distillation checkpoint is evaluated through its student
    metrics = test_with_checkpoint(cfg, ckpt)
    return {k.split('/')[-1]: float(v) for k, v in metrics.items()}


def logged_series(work_dir):
    rows = []
    for path in sorted(glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json'))):
        with open(path) as f:
            rows += [json.loads(line) for line in f]
    return [r for r in rows if 'loss' in r]


def first_last(values):
    return [values[0], values[-1]] if values else [float('nan')] * 2


def train(cfg):
    start = time.time()
    Runner.from_cfg(cfg).train()
    return time.time() - start, osp.join(cfg.work_dir, 'iter_{}.pth'.format(
        cfg.train_cfg['max_iters']))


def main():
    args = parse_args()
    args.work_dir = osp.abspath(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    os.chdir(REPO)  # configs name files relative to the repository
    import ffmm  # noqa: F401  (registers modules)
    from mmengine.registry import init_default_scope
    init_default_scope('mmdet')

    teacher_ckpt = ensure_teacher_ckpt(args)
    data_root = ensure_data(osp.abspath(args.data_root))

    kd_cfg = distill_run_config(args, data_root, teacher_ckpt)
    base_cfg = student_run_config(args, data_root, 'baseline')
    kd_time, kd_ckpt = train(kd_cfg)
    base_time, base_ckpt = train(base_cfg)

    results = dict(
        distill=evaluate(args.student_config, kd_ckpt, data_root,
                         args.work_dir, 'distill'),
        baseline=evaluate(args.student_config, base_ckpt, data_root,
                          args.work_dir, 'baseline'))
    if not args.skip_teacher_eval:
        results['teacher'] = evaluate(args.student_config, teacher_ckpt,
                                      data_root, args.work_dir, 'teacher',
                                      model_config=args.teacher_config)

    series = logged_series(kd_cfg.work_dir)
    base_series = logged_series(base_cfg.work_dir)
    trend = {}
    for key in KD_KEYS + ('loss_kd_cls', 'loss_kd_loc', 'loss_kd_feat',
                          'loss_kd_att', 'loss', 'distill/temperature',
                          'distill/alpha'):
        values = [r[key] for r in series if key in r]
        if values:
            trend[key] = (values[0], values[-1], len(values))
    task_keys = ('loss_cls', 'loss_bbox', 'loss_ldm')

    def unscaled_task(rows):
        # the distiller logs (1 - alpha) * task; undo it to compare
        out = []
        for r in rows:
            scale = 1.0 - r.get('distill/alpha', 0.0)
            out.append(sum(r[k] for k in task_keys if k in r) /
                       max(scale, 1e-6))
        return out

    summary = dict(
        iters=args.iters, seed=args.seed, batch_size=args.batch_size,
        img_size=args.img_size, teacher_ckpt=teacher_ckpt,
        student_config=args.student_config, train_seconds=dict(
            distill=round(kd_time, 1), baseline=round(base_time, 1)),
        ap=results, kd_loss_first_last=trend,
        task_loss_first_last=dict(
            distill=first_last(unscaled_task(series)),
            baseline=first_last(unscaled_task(base_series))))
    with open(osp.join(args.work_dir, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=2)

    print()
    print(f'Distillation benchmark: {args.iters} iterations, batch '
          f'{args.batch_size}, {args.img_size} px, seed {args.seed}')
    print(f'student {osp.relpath(args.student_config, REPO)}; teacher '
          f'{osp.relpath(args.teacher_config, REPO)} ({teacher_ckpt})')
    settings = sorted({k for r in results.values() for k in r})
    print(f'{"model":<22}' + ''.join(f'{"AP " + s:>12}' for s in settings)
          + f'{"train s":>10}')
    rows = [('student + distill', 'distill', kd_time),
            ('student alone', 'baseline', base_time)]
    if 'teacher' in results:
        rows.append(('teacher (reference)', 'teacher', None))
    for label, key, secs in rows:
        line = f'{label:<22}' + ''.join(
            f'{results[key].get(s, float("nan")):>12.4f}' for s in settings)
        print(line + (f'{secs:>10.0f}' if secs is not None else ''))
    print()
    print('logged distillation losses (unscaled kd_*, scaled loss_kd_*), '
          'first vs last logging window:')
    for key, (first, last, n) in trend.items():
        arrow = 'falls' if last < first else 'rises' \
            if last > first else 'flat'
        print(f'  {key:<22} {first:>10.4f} -> {last:>10.4f}  ({n} logs, '
              f'{arrow})')
    for run, (first, last) in summary['task_loss_first_last'].items():
        print(f'  task loss, {run:<11}{first:>10.4f} -> {last:>10.4f}  '
              '(loss_cls + loss_bbox + loss_ldm, unscaled)')
    print(f'summary: {osp.join(args.work_dir, "summary.json")}')


if __name__ == '__main__':
    main()
