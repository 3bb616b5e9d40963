"""MMDetection's own entry points keep the landmarks and honour
``--cfg-options teacher_ckpt=PATH``."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from mmdet.registry import MODELS

from ..conftest import REPO, load_deployable_cfg, run_tool
from .test_detect_tool import CONFIG, random_ckpt  # noqa: F401

MMDET_TOOLS = osp.join(osp.dirname(__import__('mmdet').__file__), '.mim',
                       'tools')
DISTILL = osp.join(
    REPO, 'configs/distillation/retinaface_c32_from_retinaface_mini.py')

pytestmark = pytest.mark.usefixtures('one_thread')


def mmdet_tool(*parts):
    path = osp.join(MMDET_TOOLS, *parts)
    if not osp.isfile(path):
        pytest.skip(f'{path} not installed with mmdet')
    return path


def test_det_inferencer_keeps_landmarks(random_ckpt, tmp_path):  # noqa: F811
    from mmdet.apis import DetInferencer
    image = str(tmp_path / 'face.png')
    cv2.imwrite(image, np.random.RandomState(0).randint(
        0, 255, (48, 64, 3), np.uint8))
    inferencer = DetInferencer(model=CONFIG, weights=random_ckpt,
                               device='cpu', show_progress=False)
    out = inferencer(image, out_dir=str(tmp_path / 'out'), no_save_vis=True,
                     no_save_pred=False)
    pred = out['predictions'][0]
    assert len(pred['keypoints']) == len(pred['bboxes']) > 0
    assert np.array(pred['keypoints']).shape[1:] == (5, 2)
    with open(tmp_path / 'out' / 'preds' / 'face.json') as f:
        assert json.load(f)['keypoints'] == pred['keypoints']


def test_mmdet_browse_dataset_draws_landmarks(mini_widerface, tmp_path):
    out = tmp_path / 'browse'
    run_tool(mmdet_tool('analysis_tools', 'browse_dataset.py'), CONFIG,
             '--output-dir', str(out), '--not-show', '--cfg-options',
             f'train_dataloader.dataset.data_root={mini_widerface}/',
             'train_dataloader.dataset.indices=2')
    assert len(list(out.iterdir())) == 2


def test_mmdet_train_honours_teacher_ckpt_override(mini_widerface,
                                                   tmp_path):
    # the default teacher file of the config does not exist here: before
    # the fix mmdet's train.py ignored the override and failed on it
    cfg = Config.fromfile(DISTILL)
    assert not osp.exists(cfg.teacher_ckpt)
    init_default_scope('mmdet')
    teacher = MODELS.build(load_deployable_cfg(
        osp.join(REPO, cfg.teacher_config)).model)
    ckpt = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict=teacher.state_dict()), ckpt)
    root = mini_widerface + '/'
    proc = run_tool(
        mmdet_tool('train.py'), DISTILL, '--work-dir', str(tmp_path / 'w'),
        '--cfg-options', f'teacher_ckpt={ckpt}', 'train_cfg.max_iters=1',
        'train_dataloader.batch_size=2',
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        'val_dataloader.dataset.indices=1')
    assert f'FaceDistiller: teacher 0 loaded from {ckpt}' in \
        proc.stdout + proc.stderr
    assert osp.exists(tmp_path / 'w' / 'iter_1.pth')


def test_merge_from_dict_points_the_teacher_at_teacher_ckpt():
    cfg = Config.fromfile(DISTILL)  # imports ffmm (custom_imports)
    cfg.merge_from_dict(dict(teacher_ckpt='elsewhere/teacher.pth'))
    assert cfg.model.teachers[0].checkpoint == 'elsewhere/teacher.pth'
