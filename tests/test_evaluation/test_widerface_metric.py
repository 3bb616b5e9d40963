"""WIDERFaceMetric on fake data samples (dicts of torch tensors)."""
import numpy as np
import pytest
import torch
from mmdet.registry import METRICS

import ffmm.evaluation  # noqa: F401  (registers the metric)
from ffmm.evaluation.functional import read_widerface_preds
from .conftest import FAKE_GT


def xyxy(boxes):
    b = torch.as_tensor(np.asarray(boxes, np.float32).reshape(-1, 4))
    return torch.cat([b[:, :2], b[:, :2] + b[:, 2:]], 1)


def sample(event, name, dets, gt, ignored=None, scale=(1.0, 1.0)):
    """A packed data sample as the evaluator sees it: predictions in
    original-image coordinates, ground truth in network-input ones."""
    dets = np.asarray(dets, np.float32).reshape(-1, 5)
    scale4 = torch.tensor(scale * 2)
    out = dict(
        img_path=f'data/val/images/{event}/{name}.jpg',
        ori_shape=(200, 300),
        scale_factor=scale,
        pred_instances=dict(
            bboxes=xyxy(dets[:, :4]), scores=torch.as_tensor(dets[:, 4])),
        gt_instances=dict(bboxes=xyxy(gt) * scale4))
    if ignored is not None:
        out['ignored_instances'] = dict(bboxes=xyxy(ignored) * scale4)
    return out


def run(metric, samples):
    metric.process({}, samples)
    return metric.evaluate(len(samples))


def build(**kwargs):
    return METRICS.build(dict(type='WIDERFaceMetric', **kwargs))


def test_all_ap_from_data_samples():
    face1, face2 = [10, 10, 20, 20], [50, 10, 20, 20]
    results = run(build(), [
        sample('0--Parade', 'a', [face1 + [0.9]], [face1, face2]),
        sample('0--Parade', 'b', [face2 + [0.8]], [face2]),
    ])
    assert results == {'widerface/all': pytest.approx(2 / 3)}


def test_predictions_are_sorted_by_score():
    # Given worst first, the duplicate would be the true positive.
    face = [10, 10, 20, 20]
    dup = [11, 11, 20, 20]
    results = run(build(), [
        sample('e', 'a', [dup + [0.3], face + [0.9]], [face]),
        sample('e', 'b', [[100, 100, 9, 9, 0.5]], [face]),
    ])
    assert results['widerface/all'] == pytest.approx(0.5)


def test_ground_truth_is_rescaled_to_the_original_image():
    face = [10, 10, 20, 20]
    metric = build()
    metric.process({}, [sample('e', 'a', [face + [0.9]], [face],
                               scale=(2.0, 0.5))])
    np.testing.assert_allclose(metric.results[0]['gt'], [face])
    # Unscaled (40 x 10) the face would not be found.
    assert metric.evaluate(1)['widerface/all'] == pytest.approx(1.0)


def test_ignored_instances_are_not_misses_or_false_positives():
    face, small = [10, 10, 20, 20], [60, 60, 5, 5]
    results = run(build(), [
        sample('e', 'a', [small + [0.95], face + [0.9]], [face],
               ignored=[small]),
        sample('e', 'b', [], [], ignored=[small]),
    ])
    assert results['widerface/all'] == pytest.approx(1.0)


def test_dump_dir_writes_readable_folder(tmp_path):
    dets = [[10, 10, 20, 20, 0.25], [50.5, 10, 20, 20.5, 0.75]]
    run(build(dump_dir=str(tmp_path)), [
        sample('0--Parade', 'img_a', dets, [dets[0][:4]]),
        sample('1--Handshaking', 'img_c', [], []),
    ])
    preds = read_widerface_preds(str(tmp_path))
    # Best first, as x y w h score.
    np.testing.assert_allclose(preds['0--Parade']['img_a'], dets[::-1])
    assert preds['1--Handshaking']['img_c'].shape == (0, 5)


def fake_gt_samples(images):
    return [
        sample(event, name,
               np.hstack([np.asarray(FAKE_GT[event][name][0], float),
                          np.full((len(FAKE_GT[event][name][0]), 1), 0.9)]),
               [])
        for event, name in images
    ]


def test_gt_dir_reports_easy_medium_hard(fake_gt_dir):
    samples = fake_gt_samples([('0--Parade', 'img_a'), ('0--Parade', 'img_b'),
                               ('1--Handshaking', 'img_c')])
    results = run(build(gt_dir=fake_gt_dir), samples)
    assert results == {
        'widerface/easy': pytest.approx(1.0),
        'widerface/medium': pytest.approx(1.0),
        'widerface/hard': pytest.approx(1.0),
    }


def test_gt_dir_subset_run(fake_gt_dir):
    samples = fake_gt_samples([('0--Parade', 'img_a')])
    with pytest.warns(UserWarning, match='2 ground-truth image'):
        results = run(build(gt_dir=fake_gt_dir), samples)
    # img_c's face is a miss in medium and hard only.
    assert results['widerface/medium'] == pytest.approx(2 / 3)
    assert results['widerface/hard'] == pytest.approx(3 / 4)


def test_gt_dir_without_any_matching_image(fake_gt_dir):
    samples = [sample('9--Other', 'img_x', [[0, 0, 9, 9, 0.5]], [])]
    with pytest.raises(ValueError, match='none of the 1 predicted images'):
        run(build(gt_dir=fake_gt_dir), samples)
