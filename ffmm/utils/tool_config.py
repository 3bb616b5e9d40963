"""Config handling shared by the train and test tools."""
import os.path as osp

from mmengine.config import DictAction


def add_common_args(parser):
    """The MMDetection tool options every runner-based tool takes."""
    parser.add_argument('--work-dir', help='where to save logs and outputs')
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
    parser.add_argument(
        '--threads',
        type=int,
        help='CPU threads of this process (default: OMP_NUM_THREADS, else '
        'the cores shared among the local processes)')


def load_tool_config(args):
    """Read ``args.config`` and apply ``--cfg-options``, the launcher and
    the work dir (default ``work_dirs/<config name>``, as in mmdet)."""
    from mmengine.config import Config

    from ffmm.utils.config_compat import apply_teacher_ckpt
    from ffmm.utils.threads import set_threads
    from ffmm.utils.tool_checks import reject_old_dataset_name
    set_threads(args.threads)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
        # `teacher_ckpt=PATH` also reaches the teacher built from it
        apply_teacher_ckpt(cfg, args.cfg_options)
    reject_old_dataset_name(cfg, args.config)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    return cfg
