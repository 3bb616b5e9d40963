"""FaceTTAModel: flipped views mapped back with swapped landmarks, merged
by NMS keeping each kept box's landmarks."""
import copy
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.structures import InstanceData

import ffmm  # noqa: F401
from ffmm.models.test_time_augs import FaceTTAModel
from ffmm.models.test_time_augs.face_tta import head_without_nms
from mmdet.registry import MODELS

from ..conftest import REPO, run_tool, shared_file

CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_widerface.py')
MINI_CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_mini.py')
TTA_CFG = dict(nms=dict(type='nms', iou_threshold=0.4), max_per_img=100)
W, H = 200, 100
BOX = [20., 10., 60., 60.]
POINTS = [[30, 25], [50, 25], [40, 35], [32, 48], [48, 48]]  # L eye first


pytestmark = pytest.mark.usefixtures('one_thread')


class NoModel(nn.Module):

    def test_step(self, data):
        raise AssertionError('not called by merge_preds')


def view(bboxes, keypoints, scores, flip):
    sample = DetDataSample(
        metainfo=dict(ori_shape=(H, W),
                      img_shape=(H, W),
                      scale_factor=(1., 1.),
                      flip=flip,
                      flip_direction='horizontal' if flip else None))
    sample.pred_instances = InstanceData(
        bboxes=torch.tensor(bboxes, dtype=torch.float32).reshape(-1, 4),
        scores=torch.tensor(scores, dtype=torch.float32),
        labels=torch.zeros(len(scores), dtype=torch.long),
        keypoints=torch.tensor(keypoints,
                               dtype=torch.float32).reshape(-1, 5, 2))
    return sample


def mirrored(box, points):
    """What a detector sees in the flipped image: mirrored geometry, and
    the person's right eye is now the image-left eye (listed first)."""
    x1, y1, x2, y2 = box
    pts = np.array(points, np.float32)
    pts[:, 0] = W - pts[:, 0]
    return [W - x2, y1, W - x1, y2], pts[[1, 0, 2, 4, 3]].tolist()


def test_merge_maps_flipped_view_back_and_swaps_landmarks():
    tta = FaceTTAModel(module=NoModel(), tta_cfg=TTA_CFG)
    fbox, fpts = mirrored(BOX, POINTS)
    # the flipped view is the more confident one: its geometry must win,
    # mapped back, with left/right landmarks swapped back
    plain = view([BOX], [POINTS], [0.8], flip=False)
    flipped = view([fbox, [150, 60, 190, 95]], [fpts, POINTS], [0.9, 0.7],
                   flip=True)
    merged = tta.merge_preds([[flipped, plain]])[0]
    pred = merged.pred_instances
    assert len(pred) == 2  # the duplicate face merged, the other kept
    assert pred.scores.tolist() == pytest.approx([0.9, 0.7])
    np.testing.assert_allclose(pred.bboxes[0], BOX, atol=1e-5)
    np.testing.assert_allclose(pred.keypoints[0], POINTS, atol=1e-5)
    assert pred.keypoints[0, 0, 0] < pred.keypoints[0, 1, 0]
    # the second face came from the flipped view: x mirrored back
    np.testing.assert_allclose(pred.bboxes[1], [10, 60, 50, 95])
    # the merged sample describes the original image
    assert merged.flip is False and merged.scale_factor == (1., 1.)


def test_merge_of_empty_views():
    tta = FaceTTAModel(module=NoModel(), tta_cfg=TTA_CFG)
    merged = tta.merge_preds(
        [[view([], [], [], True),
          view([], [], [], False)]])[0]
    assert len(merged.pred_instances) == 0


def build(config=CONFIG, ckpt=None):
    cfg = Config.fromfile(config)
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None
    tta_cfg = copy.deepcopy(cfg.tta_model)
    tta_cfg.module = cfg.model
    model = MODELS.build(tta_cfg).eval()
    if ckpt:
        load_checkpoint(model.module,
                        ckpt,
                        map_location='cpu',
                        logger='silent')
    return model, cfg


def test_head_runs_without_nms_inside_tta_only():
    model, cfg = build()
    head = model.module.bbox_head
    x = [torch.randn(1, 64, s, s) for s in (8, 4, 2)]
    meta = [dict(img_shape=(64, 64), scale_factor=(1., 1.))]
    cfg_ = copy.deepcopy(head.test_cfg)
    cfg_.score_thr = 0.0
    with torch.no_grad():
        outs = head(x)
        with head_without_nms(head):
            raw = head.predict_by_feat(*outs, batch_img_metas=meta,
                                       cfg=cfg_)[0]
        nms = head.predict_by_feat(*outs, batch_img_metas=meta, cfg=cfg_)[0]
    assert len(raw) == 2 * (64 + 16 + 4)  # every anchor, no NMS
    assert len(nms) < len(raw)
    assert 'predict_by_feat' not in vars(head)  # restored


@pytest.fixture(scope='module')
def converted_ckpt(tmp_path_factory):
    src = shared_file('weights', 'retinaface_mnet025_widerface.pth')
    dst = tmp_path_factory.mktemp('ckpt') / 'retinaface_mnet025.pth'
    run_tool('tools/convert_ckpt.py', '--from', 'retinaface', src, str(dst))
    return str(dst)


def faces(pred, thr=0.5):
    return pred[pred.scores > thr]


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])  # noqa: E731
    return ix * iy / (area(a) + area(b) - ix * iy)


@pytest.mark.parametrize('flip_only', [True, False])
def test_tta_on_real_weights_keeps_face_and_landmark_order(
        converted_ckpt, flip_only):
    image = shared_file('images', 'astronaut.png')
    model, cfg = build(ckpt=converted_ckpt)
    single = Compose(cfg.test_pipeline)
    with torch.no_grad():
        ref = faces(
            model.module.test_step(
                pseudo_collate([single(dict(img_path=image,
                                            img_id=0))]))[0].pred_instances)
    pipeline = copy.deepcopy(cfg.tta_pipeline)
    if flip_only:  # one view, the mirrored image: all of it maps back
        pipeline[1].transforms[0] = [
            dict(type='FaceResize', scale_factor=1.0, keep_ratio=True)
        ]
        pipeline[1].transforms[1] = [dict(type='FaceRandomFlip', prob=1.)]
    data = Compose(pipeline)(dict(img_path=image, img_id=0))
    with torch.no_grad():
        out = model.test_step(pseudo_collate([data]))[0]
    pred = faces(out.pred_instances)
    assert len(ref) == 1 and len(pred) == 1
    assert iou(pred.bboxes[0].tolist(), ref.bboxes[0].tolist()) > 0.85
    kps = pred.keypoints[0]
    assert kps[0, 0] < kps[1, 0]  # left eye left of the right eye
    assert kps[3, 0] < kps[4, 0]  # left mouth corner left of the right
    np.testing.assert_allclose(kps, ref.keypoints[0], atol=5)
    if flip_only:
        assert out.metainfo['flip'] is False


def test_test_tool_tta_on_mini_set(mini_widerface, converted_ckpt, tmp_path):
    proc = run_tool('tools/test.py', MINI_CONFIG, converted_ckpt, '--tta',
                    '--work-dir', str(tmp_path), '--cfg-options',
                    f'test_dataloader.dataset.data_root={mini_widerface}/',
                    'test_dataloader.dataset.indices=3')
    assert 'widerface/all' in proc.stdout + proc.stderr


def test_two_scale_student_merges_its_two_views(tmp_path):
    """configs/featherface/ffv2_ultra_student_tta_075.py: the shipped
    student sees the photo at 0.75 and 1, unflipped, and the merge keeps
    the one face of the single pass."""
    import cv2

    from ffmm.datasets.bundled_photos import bundled_photos
    image = str(tmp_path / 'astronaut.png')
    cv2.imwrite(image, bundled_photos()['astronaut'])
    model, cfg = build(
        osp.join(REPO, 'configs/featherface/ffv2_ultra_student_tta_075.py'),
        osp.join(REPO, 'checkpoints/ffv2_ultra_wider_split_distilled.pth'))
    data = Compose(cfg.tta_pipeline)(dict(img_path=image, img_id=0))
    scales = [s.metainfo['scale_factor'] for s in data['data_samples']]
    np.testing.assert_allclose(scales, [(0.75, 0.75), (1., 1.)], atol=0.01)
    assert not any(s.metainfo.get('flip') for s in data['data_samples'])
    single = Compose(cfg.test_pipeline)(dict(img_path=image, img_id=0))
    with torch.no_grad():
        ref = faces(model.module.test_step(
            pseudo_collate([single]))[0].pred_instances)
        pred = faces(model.test_step(
            pseudo_collate([data]))[0].pred_instances)
    assert len(ref) == 1 and len(pred) == 1
    assert iou(pred.bboxes[0].tolist(), ref.bboxes[0].tolist()) > 0.85
