"""Evaluation on a subset (split) of WIDER FACE val equals the official
evaluation run on the ground truth restricted to the subset's images."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ffmm.evaluation.functional import (evaluate_widerface,
                                        evaluate_widerface_dir,
                                        load_widerface_gt, read_subset,
                                        read_widerface_preds, restrict_gt,
                                        write_widerface_preds)
from ffmm.evaluation.metrics import WIDERFaceMetric
from .conftest import write_fake_gt
from .test_widerface_ap import SHARED, reference_ap

REPO = Path(__file__).resolve().parents[2]
SETTINGS = ('easy', 'medium', 'hard')


def as_fake_gt(gt):
    """GroundTruth -> the ``write_fake_gt`` description of it."""
    return {
        event: {
            name: (img.boxes,
                   {s: np.nonzero(img.keep[s])[0] + 1 for s in SETTINGS})
            for name, img in images.items()
        }
        for event, images in gt.items()
    }


def write_subset(path, names):
    path.write_text(''.join(f'{n}\n' for n in names))
    return str(path)


def assert_same_curves(a, b):
    for s in SETTINGS:
        assert a[s].num_faces == b[s].num_faces
        assert a[s].ap == pytest.approx(b[s].ap, abs=1e-12), s


# ----------------------------------------------------------- synthetic
PREDS = {
    '0--Parade': {
        'img_a': np.array([[10, 10, 20, 20, 0.9], [52, 11, 20, 20, 0.4],
                           [200, 200, 9, 9, 0.7]]),
        # outside the subset; its score would squeeze the others together
        'img_b': np.array([[0, 0, 9, 9, 1e4]]),
    },
    '1--Handshaking': {
        'img_c': np.array([[1, 1, 30, 30, 0.3]]),
    },
}


def test_subset_equals_official_on_restricted_gt(tmp_path, fake_gt_dir):
    subset_file = write_subset(tmp_path / 'split.txt',
                               ['0--Parade/img_a.jpg', '1--Handshaking/img_c.jpg'])
    subset = read_subset(subset_file)
    gt = load_widerface_gt(fake_gt_dir)
    with pytest.warns(UserWarning, match='1 predicted image'):
        ours = evaluate_widerface(PREDS, gt, subset=subset)
    # the official evaluation, run on restricted .mat files and the
    # subset's prediction files
    restricted = tmp_path / 'restricted_gt'
    restricted.mkdir()
    write_fake_gt(restricted, as_fake_gt(restrict_gt(gt, subset)))
    pred_dir = tmp_path / 'preds'
    write_widerface_preds(str(pred_dir), {
        e: {n: d for n, d in imgs.items() if n != 'img_b'}
        for e, imgs in PREDS.items()})
    official = evaluate_widerface_dir(str(pred_dir), str(restricted))
    assert_same_curves(ours, official)
    # img_b's score would have changed the normalisation
    unrestricted = evaluate_widerface(PREDS, restrict_gt(gt, subset))
    assert unrestricted['hard'].ap != pytest.approx(ours['hard'].ap)
    # and the folder entry point agrees
    write_widerface_preds(str(pred_dir), PREDS)
    with pytest.warns(UserWarning, match='outside the subset'):
        from_dir = evaluate_widerface_dir(str(pred_dir), fake_gt_dir,
                                          subset_file=subset_file)
    assert_same_curves(from_dir, official)


def test_subset_file_errors(tmp_path, fake_gt_dir):
    bad = tmp_path / 'bad.txt'
    bad.write_text('0--Parade/img_a.jpg\nimg_c.jpg\n')
    with pytest.raises(ValueError, match=r'bad\.txt:2: expected event/name'):
        read_subset(str(bad))
    unknown = write_subset(tmp_path / 'unknown.txt', ['0--Parade/img_z.jpg'])
    with pytest.raises(ValueError, match='0--Parade/img_z'):
        restrict_gt(load_widerface_gt(fake_gt_dir), read_subset(unknown))
    twice = write_subset(tmp_path / 'twice.txt',
                         ['\ufeff0--Parade/img_a.jpg', '0--Parade/img_a.jpg'])
    with pytest.warns(UserWarning, match='more than once'):
        assert read_subset(twice) == {'0--Parade': {'img_a'}}


def test_metric_subset(tmp_path, fake_gt_dir):
    from .test_widerface_metric import fake_gt_samples, run
    subset = write_subset(tmp_path / 'split.txt', ['0--Parade/img_a.jpg'])
    samples = fake_gt_samples([('0--Parade', 'img_a'),
                               ('1--Handshaking', 'img_c')])
    with pytest.warns(UserWarning, match='outside the subset'):
        results = run(WIDERFaceMetric(gt_dir=fake_gt_dir, subset=subset),
                      samples)
    # img_c (a miss in medium and hard without the subset) is not counted
    assert results['widerface/medium'] == pytest.approx(1.0)
    assert results['widerface/hard'] == pytest.approx(1.0)
    with pytest.raises(ValueError, match='subset needs gt_dir'):
        WIDERFaceMetric(subset=subset)


def test_cli_subset_and_log_friendly_progress(tmp_path, fake_gt_dir):
    pred_dir = tmp_path / 'preds'
    write_widerface_preds(str(pred_dir), PREDS)
    subset = write_subset(tmp_path / 'split.txt', ['0--Parade/img_a.jpg'])
    proc = subprocess.run([
        sys.executable, 'tools/eval_widerface.py', str(pred_dir), '--gt',
        fake_gt_dir, '--subset', subset
    ], cwd=REPO, capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    # not a terminal: whole progress lines, no bar fragments
    assert all('\r' not in ln and '>>' not in ln for ln in lines)
    assert sum(ln.startswith('read ') for ln in lines) <= 4
    ap = {ln.split(' AP: ')[0]: float(ln.split(': ')[1])
          for ln in lines if ' AP: ' in ln}
    expected = evaluate_widerface(
        read_widerface_preds(str(pred_dir)), load_widerface_gt(fake_gt_dir),
        subset=read_subset(subset))
    assert ap == {s.capitalize(): pytest.approx(expected[s].ap, abs=1e-6)
                  for s in SETTINGS}


# -------------------------------------------------- real val (team assets)
@pytest.fixture(scope='module')
def seed0_dev(tmp_path_factory):
    maker = SHARED / 'tools' / 'make_wider_preds.py'
    gt_dir = SHARED / 'widerface_gt'
    split = SHARED / 'widerface_val' / 'split_dev.txt'
    if not (maker.is_file() and gt_dir.is_dir() and split.is_file()):
        pytest.skip(f'{SHARED.resolve()} with make_wider_preds.py, '
                    'widerface_gt/ and widerface_val/split_dev.txt is not '
                    'present (team assets)')
    out = tmp_path_factory.mktemp('seed0')
    subprocess.run([sys.executable, str(maker), str(gt_dir), str(out), '0'],
                   check=True, capture_output=True)
    return out, str(gt_dir), str(split)


def test_dev_split_equals_official_on_restricted_gt(seed0_dev, tmp_path):
    pred_dir, gt_dir, split = seed0_dev
    subset = read_subset(split)
    gt = restrict_gt(load_widerface_gt(gt_dir), subset)
    assert sum(len(v) for v in gt.values()) == 309
    with pytest.warns(UserWarning, match='outside the subset'):
        ours = evaluate_widerface_dir(str(pred_dir), gt_dir,
                                      subset_file=split)
    restricted = tmp_path / 'gt'
    restricted.mkdir()
    write_fake_gt(restricted, as_fake_gt(gt))
    dev_preds = tmp_path / 'preds'
    for event, names in subset.items():
        (dev_preds / event).mkdir(parents=True)
        for name in names:
            shutil.copy(pred_dir / event / f'{name}.txt', dev_preds / event)
    assert_same_curves(ours, evaluate_widerface_dir(str(dev_preds),
                                                    str(restricted)))
    # and the slow loop implementation of the protocol agrees
    preds = read_widerface_preds(str(dev_preds))
    pairs = [(preds[e][n], img) for e, imgs in gt.items()
             for n, img in imgs.items()]
    for s in SETTINGS:
        slow = reference_ap([p for p, _ in pairs], [g.boxes for _, g in pairs],
                            [g.keep[s] for _, g in pairs], thresh_num=1000)
        assert ours[s].ap == pytest.approx(slow, abs=1e-12)
