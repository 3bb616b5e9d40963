"""The WIDER FACE evaluation protocol on hand-made cases, a slow reference
implementation, and the official numbers on the shared val predictions."""
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ffmm.evaluation.functional import (bbox_overlaps, evaluate_face_ap,
                                        evaluate_widerface_dir, image_eval,
                                        load_widerface_gt, normalize_scores,
                                        read_pred_file, read_widerface_preds,
                                        voc_ap, write_widerface_preds)
from .conftest import FAKE_GT

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / '..' / 'shared'
# Official evaluation of make_wider_preds.py seed 0 (../shared/README.md).
OFFICIAL_SEED0 = dict(
    easy=0.793932877410049, medium=0.8127629833619302, hard=0.8245757601566586)

FACE1 = [10, 10, 20, 20]
FACE2 = [50, 10, 20, 20]


def dets(*rows):
    return np.array(rows, np.float64).reshape(-1, 5)


def faces(*rows):
    return np.array(rows, np.float64).reshape(-1, 4)


# ------------------------------------------------------------ IoU and AP
def test_iou_uses_plus_one_pixels():
    # x2 = x + w and widths x2 - x1 + 1: 11x11 boxes overlapping 6x11.
    iou = bbox_overlaps(faces([0, 0, 10, 10]), faces([5, 0, 10, 10], [0, 0,
                                                                     10, 10]))
    np.testing.assert_allclose(iou, [[66 / 176, 1.0]])
    assert bbox_overlaps(faces([0, 0, 10, 10]), faces([20, 20, 5, 5])) == 0


def test_voc_ap_uses_precision_envelope():
    # Precision rising again at higher recall lifts the earlier part.
    assert voc_ap(np.array([0.5, 0.5, 1.0]),
                  np.array([0.5, 0.5, 1.0])) == pytest.approx(1.0)
    assert voc_ap(np.array([0.5, 1.0]),
                  np.array([1.0, 0.5])) == pytest.approx(0.75)


def test_perfect_detector_has_ap_one():
    gt = [faces(FACE1, FACE2), faces([0, 0, 30, 40])]
    pred = [np.hstack([g, np.full((len(g), 1), 0.9)]) for g in gt]
    assert evaluate_face_ap(pred, gt).ap == pytest.approx(1.0)


def test_second_detection_of_a_face_is_false_positive():
    pred, _ = image_eval(dets(FACE1 + [0.9], FACE1 + [0.8], FACE2 + [0.7]),
                         faces(FACE1, FACE2), np.array([True, True]))
    np.testing.assert_array_equal(pred, [1, 1, 2])
    # Normalised scores 1, 0.5, 0: precision 1 at recall 0.5, then 2/3.
    curve = evaluate_face_ap(
        [dets(FACE1 + [0.9], FACE1 + [0.8], FACE2 + [0.7])],
        [faces(FACE1, FACE2)])
    assert curve.ap == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)


def test_ignored_faces_are_neither_misses_nor_false_positives():
    gt, ignore = faces(FACE1, FACE2), np.array([False, True])
    # A detection on the ignored face, scored above the true positive.
    pred = dets(FACE2 + [0.9], FACE1 + [0.8])
    recall, proposal = image_eval(pred, gt, ~ignore)
    np.testing.assert_array_equal(recall, [0, 1])
    np.testing.assert_array_equal(proposal, [-1, 1])
    curve = evaluate_face_ap([pred], [gt], [ignore])
    assert curve.ap == pytest.approx(1.0)
    assert curve.num_faces == 1
    # Not found at all: still not a miss.
    assert evaluate_face_ap([dets(FACE1 + [0.8])], [gt],
                            [ignore]).ap == pytest.approx(1.0)


def test_empty_images():
    gt = [faces(FACE1), faces(FACE2), faces()]
    # Image 2 gets no detection: its face is a miss.
    pred = [dets(FACE1 + [0.9]), dets(), dets()]
    assert evaluate_face_ap(pred, gt).ap == pytest.approx(0.5)
    # As in the official code, detections on images without faces are not
    # counted.
    pred[2] = dets([0, 0, 10, 10, 0.95])
    assert evaluate_face_ap(pred, gt).ap == pytest.approx(0.5)
    assert evaluate_face_ap([dets()] * 3, gt).ap == 0
    with pytest.warns(UserWarning, match='no .all. faces'):
        assert np.isnan(evaluate_face_ap([dets()], [faces()]).ap)


def test_scores_are_normalised_over_the_whole_set():
    np.testing.assert_allclose(
        np.concatenate(normalize_scores([np.array([2., 5.]),
                                         np.array([])])), [0.25, 1.0])
    np.testing.assert_allclose(normalize_scores([np.array([0.2, 0.6])])[0],
                               [0, 1])
    # TP, FP, TP with scores 0.0004 apart (3 faces): they would share one of
    # the 1000 threshold bins without normalisation (AP 2/3 * 2/3); spread
    # to 1, 0.5, 0 they give precision 1 up to recall 1/3, then 2/3.
    pred = [dets(FACE1 + [0.5004]), dets([200, 200, 9, 9, 0.5002]),
            dets(FACE2 + [0.5])]
    gt = [faces(FACE1), faces(FACE2), faces(FACE2)]
    assert evaluate_face_ap(pred, gt).ap == pytest.approx(1 / 3 + 2 / 9)


def test_predictions_are_matched_in_file_order():
    # The official code takes predictions in file order; at threshold t the
    # last prediction scoring >= t bounds what counts, so a low-scoring true
    # positive listed before a higher-scoring one counts from that score on.
    ignored = [90, 90, 20, 20]
    gt = [faces(FACE1), faces(FACE2, ignored), faces(FACE1)]
    ignore = [[False], [False, True], [False]]
    pred = [
        dets(FACE1 + [0.9]),
        dets(FACE2 + [0.2], ignored + [0.6]),  # true positive listed first
        dets([200, 200, 9, 9, 0.4]),
    ]
    # Recall 2/3 at precision 1 as soon as the 0.6 prediction counts.
    assert evaluate_face_ap(pred, gt, ignore).ap == pytest.approx(2 / 3)
    pred[1] = pred[1][::-1]  # best first: FACE2 is found after the clutter
    assert evaluate_face_ap(pred, gt, ignore).ap == pytest.approx(5 / 9)


# ---------------------------------------------- against a slow reference
def reference_ap(pred, gt, keep, iou_thr=0.5, thresh_num=100):
    """Direct loop implementation of the protocol: one image, one
    prediction and one threshold at a time."""
    scores = [s for p in pred for s in p[:, 4]]
    lo, hi = min([1.0] + scores), max([0.0] + scores)
    counts = np.zeros((thresh_num, 2))
    for p, g, k in zip(pred, gt, keep):
        if len(p) == 0 or len(g) == 0:
            continue
        s = (p[:, 4] - lo) / (hi - lo)
        state = [0] * len(g)  # 1 found, -1 ignored
        found, counted = [], []
        for box in p:
            ious = []
            for f in g:
                x1, y1 = max(box[0], f[0]), max(box[1], f[1])
                x2 = min(box[0] + box[2], f[0] + f[2])
                y2 = min(box[1] + box[3], f[1] + f[3])
                iw, ih = x2 - x1 + 1, y2 - y1 + 1
                inter = iw * ih if iw > 0 and ih > 0 else 0
                union = ((box[2] + 1) * (box[3] + 1) + (f[2] + 1) *
                         (f[3] + 1) - inter)
                ious.append(inter / union)
            j = int(np.argmax(ious))
            counted.append(True)
            if ious[j] >= iou_thr:
                if not k[j]:
                    state[j], counted[-1] = -1, False
                elif state[j] == 0:
                    state[j] = 1
            found.append(state.count(1))
        for t in range(thresh_num):
            above = np.nonzero(s >= 1 - (t + 1) / thresh_num)[0]
            if len(above):
                last = above[-1]
                counts[t] += [sum(counted[:last + 1]), found[last]]
    total = sum(int(np.sum(k)) for k in keep)
    with np.errstate(invalid='ignore'):
        precision = counts[:, 1] / counts[:, 0]
    recall = counts[:, 1] / total
    rec = [0.] + list(recall) + [1.]
    prec = [0.] + list(precision) + [0.]
    for i in range(len(prec) - 2, -1, -1):
        if not prec[i] >= prec[i + 1]:  # also replaces NaN
            prec[i] = prec[i + 1]
    return sum((rec[i + 1] - rec[i]) * prec[i + 1]
               for i in range(len(rec) - 1) if rec[i + 1] != rec[i])


def test_matches_slow_reference_on_random_sets():
    rng = np.random.default_rng(0)
    for _ in range(5):
        pred, gt, keep = [], [], []
        for _ in range(12):
            g = np.round(rng.uniform(0, 60, (rng.integers(0, 6), 4)))
            g[:, 2:] += 4
            # Noisy copies, duplicates and clutter, in no particular order.
            p = np.vstack([g[rng.random(len(g)) < 0.8],
                           g[rng.random(len(g)) < 0.3],
                           rng.uniform(0, 60, (rng.integers(0, 3), 4))])
            p = np.round(p + rng.normal(0, 2, p.shape))
            p = np.hstack([p, rng.random((len(p), 1)).round(2)])
            pred.append(p[rng.permutation(len(p))])
            gt.append(g)
            keep.append(rng.random(len(g)) < 0.7)
        ours = evaluate_face_ap(pred, gt, [~k for k in keep],
                                thresh_num=100).ap
        assert ours == pytest.approx(reference_ap(pred, gt, keep), abs=1e-12)


# ----------------------------------------------------------- files and gt
def write_txt(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_read_pred_file(tmp_path):
    path = write_txt(tmp_path / 'ev' / 'img.txt',
                     'ev/img.jpg\n2\n1 2 3 4 0.5\n5 6 7 8 0.25\n\n')
    np.testing.assert_array_equal(
        read_pred_file(path), [[1, 2, 3, 4, 0.5], [5, 6, 7, 8, 0.25]])
    assert read_pred_file(write_txt(tmp_path / 'e' / 'x.txt',
                                    'x\n0\n')).shape == (0, 5)


@pytest.mark.parametrize('text, lineno', [
    ('img\n2\n1 2 3 4 0.5\n1 2 3 x 0.5\n', 4),
    ('img\n1\n1 2 3 4\n', 3),
    ('img\n3\n1 2 3 4 0.5\n', 2),
    ('img\nmany\n', 2),
    ('other\n0\n', 1),
    ('', 1),
])
def test_malformed_file_error_names_file_and_line(tmp_path, text, lineno):
    path = write_txt(tmp_path / 'ev' / 'img.txt', text)
    with pytest.raises(ValueError, match=re.escape(f'{path}:{lineno}:')):
        read_pred_file(path)


def test_load_fake_gt(fake_gt_dir):
    gt = load_widerface_gt(fake_gt_dir)
    assert sorted(gt) == ['0--Parade', '1--Handshaking']
    img_a = gt['0--Parade']['img_a']
    np.testing.assert_array_equal(img_a.boxes[2], [90, 10, 4, 4])
    np.testing.assert_array_equal(img_a.keep['easy'], [True, True, False])
    assert gt['0--Parade']['img_b'].boxes.shape == (0, 4)
    assert not gt['1--Handshaking']['img_c'].keep['easy'].any()


def test_gt_dir_without_mat_files(tmp_path):
    (tmp_path / 'wider_face_val.mat').write_bytes(b'')
    with pytest.raises(FileNotFoundError, match='wider_easy_val.mat, '
                       'wider_medium_val.mat, wider_hard_val.mat'):
        load_widerface_gt(str(tmp_path))


def fake_perfect_preds():
    return {
        event: {
            name: np.hstack([np.asarray(b, float).reshape(-1, 4),
                             np.full((len(b), 1), 0.9)])
            for name, (b, _) in images.items()
        }
        for event, images in FAKE_GT.items()
    }


def test_write_read_evaluate_folder(tmp_path, fake_gt_dir):
    pred_dir = str(tmp_path / 'preds')
    write_widerface_preds(pred_dir, fake_perfect_preds())
    read = read_widerface_preds(pred_dir)
    np.testing.assert_allclose(read['0--Parade']['img_a'],
                               fake_perfect_preds()['0--Parade']['img_a'])
    curves = evaluate_widerface_dir(pred_dir, fake_gt_dir)
    assert {s: c.ap for s, c in curves.items()} == pytest.approx(
        dict(easy=1, medium=1, hard=1))
    assert [curves[s].num_faces for s in curves] == [2, 3, 4]
    assert len(curves['hard'].precision) == 1000


def test_image_without_file_counts_as_no_detections(tmp_path, fake_gt_dir):
    pred_dir = tmp_path / 'preds'
    write_widerface_preds(str(pred_dir), fake_perfect_preds())
    (pred_dir / '1--Handshaking' / 'img_c.txt').unlink()
    with pytest.warns(UserWarning, match='1 ground-truth image'):
        curves = evaluate_widerface_dir(str(pred_dir), fake_gt_dir)
    # img_c's face is ignored in easy, a miss in medium and hard.
    assert curves['easy'].ap == pytest.approx(1)
    assert curves['medium'].ap == pytest.approx(2 / 3)
    assert curves['hard'].ap == pytest.approx(3 / 4)


def test_missing_event_folder(tmp_path, fake_gt_dir):
    pred_dir = tmp_path / 'preds'
    write_widerface_preds(str(pred_dir), fake_perfect_preds())
    for f in (pred_dir / '1--Handshaking').iterdir():
        f.unlink()
    (pred_dir / '1--Handshaking').rmdir()
    with pytest.raises(FileNotFoundError, match='1--Handshaking'):
        evaluate_widerface_dir(str(pred_dir), fake_gt_dir)


# ---------------------------------------- official numbers (team assets)
@pytest.fixture(scope='module')
def seed0_preds(tmp_path_factory):
    maker = SHARED / 'tools' / 'make_wider_preds.py'
    gt_dir = SHARED / 'widerface_gt'
    if not maker.is_file() or not gt_dir.is_dir():
        pytest.skip(f'{SHARED.resolve()} with tools/make_wider_preds.py and '
                    'widerface_gt/ is not present (team assets)')
    out = tmp_path_factory.mktemp('wider_preds_seed0')
    subprocess.run([sys.executable, str(maker), str(gt_dir), str(out), '0'],
                   check=True, capture_output=True)
    return str(out), str(gt_dir)


def test_official_numbers_seed0(seed0_preds):
    curves = evaluate_widerface_dir(*seed0_preds)
    for setting, expected in OFFICIAL_SEED0.items():
        assert curves[setting].ap == pytest.approx(expected, abs=1e-4)


def test_cli_prints_writes_json_and_plots(seed0_preds, tmp_path):
    pred_dir, gt_dir = seed0_preds
    out_json, plot = tmp_path / 'aps.json', tmp_path / 'pr.png'
    proc = subprocess.run([
        sys.executable, 'tools/eval_widerface.py', pred_dir, '--gt', gt_dir,
        '--out-json', str(out_json), '--plot', str(plot)
    ], cwd=REPO, capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    for setting, expected in OFFICIAL_SEED0.items():
        label = setting.capitalize()
        printed = [ln for ln in lines if ln.startswith(f'{label} AP: ')]
        assert len(printed) == 1
        assert float(printed[0].split(': ')[1]) == pytest.approx(
            expected, abs=1e-4)
    assert json.loads(out_json.read_text()) == pytest.approx(OFFICIAL_SEED0,
                                                             abs=1e-4)
    assert plot.stat().st_size > 1000
