"""Evaluate a checkpoint: `python tools/test.py CONFIG CHECKPOINT`.

`--dump-widerface DIR` also writes the predictions in the WIDER FACE
submission layout; `--tta` uses the config's flip/multi-scale TTA model.
"""
import argparse
import os.path as osp

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from ffmm.models.detectors.face_distiller import apply_teacher_ckpt


def parse_args():
    parser = argparse.ArgumentParser(description='Test an ffmm detector')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where to save the metrics')
    parser.add_argument(
        '--dump-widerface',
        metavar='DIR',
        help='write DIR/<event>/<image>.txt prediction files')
    parser.add_argument(
        '--show-dir', help='save images with detections drawn here')
    parser.add_argument(
        '--tta', action='store_true', help='test-time augmentation')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, xxx=yyy format')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
        # `teacher_ckpt=PATH` also reaches the teacher built from it
        apply_teacher_ckpt(cfg, args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.dump_widerface:
        cfg.test_evaluator.dump_dir = args.dump_widerface
    if args.show_dir:
        vis_hook = cfg.default_hooks.visualization
        vis_hook.draw = True
        vis_hook.test_out_dir = osp.abspath(args.show_dir)
    if args.tta:
        if 'tta_model' not in cfg or 'tta_pipeline' not in cfg:
            raise SystemExit(f'{args.config} defines no tta_model / '
                             'tta_pipeline')
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    main()
