"""RetinaFace-MobileNet-0.25: size, converted public weights, real photos."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from ffmm.utils.convert import (CheckpointMismatchError, check_fits,
                                convert_retinaface, load_reference_state_dict)
from mmdet.registry import MODELS

from ..conftest import REPO, run_tool, shared_file

CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_widerface.py')

# ../shared/README.md: reference detections (score > 0.5, NMS 0.4, original
# size) of the trained RetinaFace, as box, score and 5 landmarks.
REFERENCE = {
    'astronaut.png': ((177.5, 56.4, 270.1, 176.4), 1.00,
                      [(204, 103), (245, 104), (224, 129), (203, 139),
                       (245, 140)]),
    'grace_hopper.jpg': ((174.0, 107.4, 358.5, 328.1), 0.999,
                         [(218, 197), (304, 187), (263, 250), (231, 274),
                          (306, 266)]),
    'camera.png': ((197.2, 111.6, 256.5, 194.3), 0.998,
                   [(235, 146), (248, 145), (250, 164), (231, 176),
                    (240, 177)]),
}


def build_model():
    cfg = Config.fromfile(CONFIG)
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None
    return MODELS.build(cfg.model)


def iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area = lambda r: (r[2] - r[0]) * (r[3] - r[1])  # noqa: E731
    return inter / (area(a) + area(b) - inter)


def test_parameter_count_matches_public_model():
    model = build_model()
    assert sum(p.numel() for p in model.parameters()) == 426608


def test_forward_and_loss_on_any_size():
    model = build_model().train()
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    sample = DetDataSample(
        metainfo=dict(img_shape=(96, 128), pad_shape=(96, 128)))
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[10., 12., 50., 60.]]),
        labels=torch.tensor([0]),
        keypoints=torch.rand(1, 5, 2) * 40 + 12,
        keypoints_visible=torch.ones(1, 5))
    losses = model.loss(torch.randn(1, 3, 96, 128), [sample])
    assert set(losses) == {'loss_cls', 'loss_bbox', 'loss_ldm'}
    total = sum(losses.values())
    total.backward()
    assert torch.isfinite(total)
    assert model.bbox_head.ldm_convs[0].weight.grad.abs().sum() > 0


@pytest.fixture(scope='module')
def converted_ckpt(tmp_path_factory):
    src = shared_file('weights', 'retinaface_mnet025_widerface.pth')
    dst = tmp_path_factory.mktemp('ckpt') / 'retinaface_mnet025.pth'
    run_tool('tools/convert_ckpt.py', '--from', 'retinaface', src, str(dst))
    return str(dst)


def test_converted_weights_reproduce_reference_detections(
        converted_ckpt, tmp_path):
    images = [shared_file('images', name) for name in REFERENCE]
    run_tool('tools/detect.py', CONFIG, converted_ckpt, *images,
             '--out-dir', str(tmp_path), '--score-thr', '0.5')
    for name, (box, score, landmarks) in REFERENCE.items():
        stem = osp.splitext(name)[0]
        with open(tmp_path / f'{stem}.json') as f:
            result = json.load(f)
        assert len(result['boxes']) == 1, (name, result)
        det = result['boxes'][0]
        assert iou(det[:4], box) >= 0.95, (name, det)
        assert abs(det[4] - score) <= 0.01, (name, det)
        np.testing.assert_allclose(result['landmarks'][0], landmarks, atol=2)
        assert (tmp_path / f'{stem}.png').stat().st_size > 0


def test_checkpoint_that_does_not_fit_is_refused():
    src = shared_file('reference', 'featherface_v1_c64_seed0.pth')
    state = load_reference_state_dict(src)
    with pytest.raises(CheckpointMismatchError, match='bacbkbone_0_cbam'):
        convert_retinaface(state)
    # A renamed-but-wrong-shape checkpoint names the offending key.
    good = convert_retinaface(
        load_reference_state_dict(
            shared_file('weights', 'retinaface_mnet025_widerface.pth')))
    good['neck.ssh.0.conv3x3.conv.weight'] = torch.zeros(1)
    del good['bbox_head.cls_convs.0.bias']
    with pytest.raises(CheckpointMismatchError) as err:
        check_fits(good, build_model().state_dict(), source='bad.pth')
    assert 'bbox_head.cls_convs.0.bias' in str(err.value)
    assert 'neck.ssh.0.conv3x3.conv.weight' in str(err.value)


def test_convert_tool_exits_with_clear_error(tmp_path):
    src = shared_file('reference', 'featherface_v1_c64_seed0.pth')
    proc = run_tool('tools/convert_ckpt.py', '--from', 'retinaface', src,
                    str(tmp_path / 'x.pth'), check=False)
    assert proc.returncode != 0
    assert 'bacbkbone_0_cbam' in proc.stderr
    assert not (tmp_path / 'x.pth').exists()
