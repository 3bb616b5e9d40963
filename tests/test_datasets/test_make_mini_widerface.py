"""tools/dataset/make_mini_widerface.py writes a valid, deterministic set."""
import os.path as osp
import subprocess
import sys

import cv2
import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCRIPT = osp.join(REPO, 'tools', 'dataset', 'make_mini_widerface.py')


def generate(out, *extra):
    proc = subprocess.run(
        [sys.executable, SCRIPT, str(out), '--num-train', '12', '--num-val',
         '4', *extra], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return out


def parse_labels(path):
    """[(relative image path, [[20 floats] per face])] of a label.txt."""
    records = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith('#'):
                records.append((line[1:].strip(), []))
            else:
                values = [float(v) for v in line.split()]
                assert len(values) == 20, line
                records[-1][1].append(values)
    return records


@pytest.fixture(scope='module')
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp('make_mini')
    return generate(base / 'a'), generate(base / 'b')


def test_layout_boxes_and_landmarks(two_runs):
    root = two_runs[0]
    assert (root / 'README.txt').is_file()
    faces = []
    for split, num in (('train', 12), ('val', 4)):
        records = parse_labels(root / split / 'label.txt')
        assert len(records) == num
        for rel, rec_faces in records:
            event, name = rel.split('/')
            assert '--' in event and name.endswith('.jpg')
            img = cv2.imread(str(root / split / 'images' / rel))
            assert img is not None, rel
            h, w = img.shape[:2]
            for x, y, bw, bh, *rest in rec_faces:
                assert bw >= 8 and bh >= 8
                assert x >= 0 and y >= 0 and x + bw <= w and y + bh <= h
                faces.append(([x, y, bw, bh], rest))
        if split == 'val':
            listed = (root / 'val' / 'wider_val.txt').read_text().split()
            assert [p.lstrip('/') for p in listed] == [r for r, _ in records]

    with_lmk = [(b, r) for b, r in faces if r[0] >= 0]
    without = [(b, r) for b, r in faces if r[0] < 0]
    assert with_lmk and without
    for (x, y, bw, bh), rest in with_lmk:
        assert rest[-1] == 1.0
        margin = 0.05 * max(bw, bh)
        for k in range(5):
            lx, ly, flag = rest[3 * k:3 * k + 3]
            assert flag == 0.0
            assert x - margin <= lx <= x + bw + margin
            assert y - margin <= ly <= y + bh + margin
    for _, rest in without:
        assert rest == [-1.0] * 16
    assert any(min(b[2], b[3]) < 30 for b, _ in faces)


def test_same_seed_gives_same_labels(two_runs):
    a, b = two_runs
    for rel in ('train/label.txt', 'val/label.txt', 'val/wider_val.txt'):
        assert (a / rel).read_text() == (b / rel).read_text()
