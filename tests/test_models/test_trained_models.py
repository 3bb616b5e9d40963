"""The converted public trained detectors on real WIDER FACE images and on
the three shared photographs (team assets in ../shared; skipped without)."""
import os.path as osp

import numpy as np
import pytest
import torch

from ffmm.utils.convert import CONVERTERS, load_reference_state_dict
from ..conftest import REPO, shared_file

NUM_IMAGES = 24  # the first images of the dev split: a CI-sized slice
MODELS = {
    'retinaface': ('configs/retinaface/retinaface_mnet025_widerface.py',
                   'retinaface_mnet025_widerface.pth'),
    'featherface': ('configs/featherface/featherface_v1.py',
                    'featherface_v1_widerface.pth'),
}
# Measured once with this test's own evaluation (easy, medium, hard).
STORED_AP = {
    'retinaface': (0.8579, 0.8385, 0.7079),
    'featherface': (0.8570, 0.8467, 0.7649),
}
# Reference landmarks of the trained RetinaFace on the photos (shared README)
PHOTOS = {
    'astronaut.png': ((177.5, 56.4, 270.1, 176.4),
                      [(204, 103), (245, 104), (224, 129), (203, 139),
                       (245, 140)]),
    'grace_hopper.jpg': ((174.0, 107.4, 358.5, 328.1),
                         [(218, 197), (304, 187), (263, 250), (231, 274),
                          (306, 266)]),
    'camera.png': ((197.2, 111.6, 256.5, 194.3),
                   [(235, 146), (248, 145), (250, 164), (231, 176),
                    (240, 177)]),
}


def convert(kind, out_dir):
    """Convert the shared trained checkpoint in-process."""
    src = shared_file('weights', MODELS[kind][1])
    state = CONVERTERS[kind](load_reference_state_dict(src))
    dst = osp.join(out_dir, f'{kind}.pth')
    torch.save(dict(state_dict=state,
                    meta=dict(dataset_meta=dict(classes=('face', )))), dst)
    return dst


@pytest.fixture(scope='module')
def converted(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('converted'))
    return {kind: convert(kind, out) for kind in MODELS}


def box_iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) -
             w * h)
    return w * h / union


@pytest.mark.parametrize('kind', sorted(MODELS))
def test_dev_slice_ap(kind, converted, tmp_path, one_thread):
    from ffmm.analysis import evaluate_on_split
    split = shared_file('widerface_val', 'split_dev.txt')
    with open(split) as f:
        names = [ln.strip() for ln in f if ln.strip()][:NUM_IMAGES]
    subset = tmp_path / 'slice.txt'
    subset.write_text('\n'.join(names) + '\n')
    ap = evaluate_on_split(
        osp.join(REPO, MODELS[kind][0]), converted[kind],
        str(tmp_path / kind), num_images=NUM_IMAGES,
        subset_file=str(subset))
    measured = tuple(ap[s] for s in ('easy', 'medium', 'hard'))
    assert measured == pytest.approx(STORED_AP[kind], abs=0.005)


def test_v1_finds_the_face_in_each_photo(converted, one_thread):
    from ffmm.apis import detect_faces, init_face_detector
    model = init_face_detector(
        osp.join(REPO, MODELS['featherface'][0]), converted['featherface'])
    for name, (box, points) in PHOTOS.items():
        _, result = detect_faces(model, shared_file('images', name), 0.5)
        assert len(result['boxes']) == 1, name
        assert box_iou(result['boxes'][0][:4], box) >= 0.8, name
        # per coordinate, as the RetinaFace reference test
        np.testing.assert_allclose(result['landmarks'][0], points, atol=11,
                                   err_msg=name)
