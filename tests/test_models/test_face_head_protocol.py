"""The face-head protocol (FaceHeadMixin): priors, decoding, dense
predictions, post-processing through mmdet with landmarks, NMS switch,
isinstance check."""
import copy

import pytest
import torch
from mmengine.config import ConfigDict

import ffmm  # noqa: F401
from ffmm.models.dense_heads import (FaceAnchorHead, FaceHeadMixin,
                                     SmartFaceHead, face_head_of)

TEST_CFG = ConfigDict(nms_pre=5000,
                      score_thr=0.02,
                      nms=dict(type='nms', iou_threshold=0.4),
                      max_per_img=750)
SIZES = ((8, 10), (4, 5), (2, 3))  # feature maps of a 64 x 80 input


def make_head(kind=FaceAnchorHead, **kwargs):
    torch.manual_seed(0)
    head = kind(in_channels=8, test_cfg=copy.deepcopy(TEST_CFG), **kwargs)
    head.init_weights()
    with torch.no_grad():
        for p in head.parameters():
            p.add_(torch.randn_like(p) * 0.5)
    return head.eval()


def head_outputs(head, batch=1):
    torch.manual_seed(1)
    feats = [torch.randn(batch, 8, h, w) for h, w in SIZES]
    with torch.no_grad():
        return head(feats)


@pytest.mark.parametrize('kind', [FaceAnchorHead, SmartFaceHead])
def test_heads_implement_the_protocol(kind):
    head = make_head(kind)
    assert isinstance(head, FaceHeadMixin)
    assert head.num_points == 5 and head.use_sigmoid_cls is False
    cls, bbox, ldm = head_outputs(head, batch=2)
    cls_flat, bbox_flat, ldm_flat = head.flatten_preds(cls, bbox, ldm)
    num = 2 * sum(h * w for h, w in SIZES)
    assert cls_flat.shape == (2, num, 2)
    assert bbox_flat.shape == (2, num, 4) and ldm_flat.shape == (2, num, 10)
    scores = head.scores_from_logits(cls_flat)
    assert scores.shape == (2, num, 1) and (scores <= 1).all()


def test_flat_priors_equal_mmdet_grid_priors():
    head = make_head()
    cls = head_outputs(head)[0]
    mmdet = torch.cat(
        head.prior_generator.grid_priors([c.shape[-2:] for c in cls],
                                         device='cpu'))
    assert torch.equal(head.flat_priors(cls), mmdet)


def test_decode_flat_matches_the_coders():
    head = make_head()
    cls, bbox, ldm = head_outputs(head, batch=2)
    priors = head.flat_priors(cls)
    _, bbox_flat, ldm_flat = head.flatten_preds(cls, bbox, ldm)
    boxes, points = head.decode_flat(priors, bbox_flat, ldm_flat)
    assert boxes.shape == bbox_flat.shape
    assert points.shape == (*ldm_flat.shape[:2], 5, 2)
    for i in range(2):
        torch.testing.assert_close(
            boxes[i], head.bbox_coder.decode(priors, bbox_flat[i]))
        torch.testing.assert_close(
            points[i], head.landmark_coder.decode(priors, ldm_flat[i]))


def test_predict_dense_is_predict_by_feat_without_filtering():
    head = make_head(SmartFaceHead)
    outs = head_outputs(head)
    boxes, scores, points = head.predict_dense(*outs)
    cfg = dict(score_thr=-1.0, nms_pre=10**6)  # every anchor, no NMS
    pred = head.predict_by_feat(*outs,
                                batch_img_metas=[dict(img_shape=(64, 80))],
                                cfg=cfg,
                                with_nms=False)[0]
    order = scores[0, :, 0].argsort(descending=True)
    torch.testing.assert_close(scores[0, order, 0], pred.scores)
    torch.testing.assert_close(boxes[0, order], pred.bboxes)
    torch.testing.assert_close(points[0, order], pred.keypoints)


def test_rescale_moves_landmarks_with_boxes():
    head = make_head()
    outs = head_outputs(head)
    meta = dict(img_shape=(64, 80), scale_factor=(0.5, 0.25))
    plain = head.predict_by_feat(*outs, batch_img_metas=[meta])[0]
    scaled = head.predict_by_feat(*outs, batch_img_metas=[meta],
                                  rescale=True)[0]
    assert len(plain) > 0 and torch.equal(plain.scores, scaled.scores)
    torch.testing.assert_close(scaled.bboxes,
                               plain.bboxes / plain.bboxes.new_tensor(
                                   [0.5, 0.25, 0.5, 0.25]))
    torch.testing.assert_close(scaled.keypoints,
                               plain.keypoints / plain.keypoints.new_tensor(
                                   [0.5, 0.25]))
    # no scale_factor (no Resize in the pipeline): nothing to undo
    same = head.predict_by_feat(*outs,
                                batch_img_metas=[dict(img_shape=(64, 80))],
                                rescale=True)[0]
    assert torch.equal(same.bboxes, plain.bboxes)


def test_nms_keeps_landmarks_of_kept_boxes_and_max_per_img():
    head = make_head()
    outs = head_outputs(head)
    meta = [dict(img_shape=(64, 80))]
    raw = head.predict_by_feat(*outs, batch_img_metas=meta,
                               with_nms=False)[0]
    nms = head.predict_by_feat(*outs, batch_img_metas=meta)[0]
    assert 0 < len(nms) < len(raw)
    for box, points in zip(nms.bboxes, nms.keypoints):
        i = (raw.bboxes == box).all(1).nonzero()[0, 0]
        assert torch.equal(raw.keypoints[i], points)
    cfg = copy.deepcopy(TEST_CFG)
    cfg.max_per_img = 2
    top = head.predict_by_feat(*outs, batch_img_metas=meta, cfg=cfg)[0]
    assert torch.equal(top.bboxes, nms.bboxes[:2])
    # a test_cfg without max_per_img keeps the 750 default
    del cfg['max_per_img']
    assert len(head.predict_by_feat(*outs, batch_img_metas=meta,
                                    cfg=cfg)[0]) == len(nms)


def test_nms_disabled_context():
    head = make_head()
    outs = head_outputs(head)
    meta = [dict(img_shape=(64, 80))]
    nms = head.predict_by_feat(*outs, batch_img_metas=meta)[0]
    with head.nms_disabled():
        raw = head.predict_by_feat(*outs, batch_img_metas=meta)[0]
    raw_arg = head.predict_by_feat(*outs, batch_img_metas=meta,
                                   with_nms=False)[0]
    assert torch.equal(raw.bboxes, raw_arg.bboxes) and len(raw) > len(nms)
    assert '_nms_off' not in vars(head)  # restored
    again = head.predict_by_feat(*outs, batch_img_metas=meta)[0]
    assert torch.equal(again.bboxes, nms.bboxes)


def test_face_head_of_checks_the_type():

    class Net(torch.nn.Module):

        def __init__(self, head):
            super().__init__()
            self.bbox_head = head

    head = make_head()
    assert face_head_of(Net(head)) is head

    class Distiller(torch.nn.Module):

        def __init__(self):
            super().__init__()
            self.student = Net(head)

    assert face_head_of(Distiller()) is head
    with pytest.raises(TypeError, match='flip TTA needs a face head.*Linear'):
        face_head_of(Net(torch.nn.Linear(2, 2)), 'flip TTA')
