"""Evaluating any model config on a split of the shared WIDER FACE val."""
import copy
import os.path as osp

from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SPLIT_CONFIG = osp.join(REPO, 'configs/_base_/datasets/wider_val_split.py')
SPLITS = ('dev', 'train')


def use_wider_split(cfg, split, data_root=None, gt_dir=None):
    """Point ``cfg``'s test dataloader and evaluator at ``split`` of the
    WIDER val splits of ``configs/_base_/datasets/wider_val_split.py``
    (its ``data_root`` / ``widerface_gt_dir`` unless given). The model
    config's own test pipeline is kept."""
    if split not in SPLITS:
        raise ValueError(f'unknown split {split!r}; choose from {SPLITS}')
    split_cfg = Config.fromfile(SPLIT_CONFIG)
    root = data_root or split_cfg.data_root
    dataset = copy.deepcopy(split_cfg.test_dataloader.dataset)
    dataset.update(
        data_root=root,
        ann_file=f'wider_face_{split}_bbx_gt.txt',
        pipeline=cfg.test_dataloader.dataset.pipeline)
    cfg.test_dataloader.dataset = dataset
    cfg.test_evaluator = dict(
        split_cfg.test_evaluator,
        gt_dir=gt_dir or split_cfg.widerface_gt_dir,
        subset=osp.join(root, f'split_{split}.txt'))
    return cfg
