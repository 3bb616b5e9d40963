"""The trained V2-Ultra models shipped in checkpoints/: each plain student
config loads its checkpoint strictly, they stay within the parameter
budget, and they find the face and its landmarks on the bundled
photographs."""
import os.path as osp

import pytest

from ffmm.analysis import count_parameters
from ffmm.datasets.bundled_photos import bundled_photos
from ..conftest import REPO
from .test_trained_models import PHOTOS, box_iou, converted  # noqa: F401

# name: (plain config, checkpoint, largest landmark gap to V1 in px, a
# little above the measured one)
SHIPPED = {
    # the default V2-Ultra, the demo's; measured 5.9 / 5.7 / 17.6 px (its
    # stride-32 fine-tune moved grace_hopper's from 11.5)
    'default': ('configs/featherface/ffv2_ultra_student.py',
                'checkpoints/ffv2_ultra_wider_split_distilled.pth', 18),
    # every idea on; measured 7.3 / 8.3 / 8.1 px
    'every_idea': ('configs/featherface/ffv2_ultra_full_student.py',
                   'checkpoints/ffv2_ultra_full_wider_split_distilled.pth',
                   9),
}


@pytest.fixture(scope='module', params=sorted(SHIPPED))
def shipped(request):
    from ffmm.apis import detect_faces, init_face_detector
    config, checkpoint, max_gap = SHIPPED[request.param]
    model = init_face_detector(osp.join(REPO, config),
                               osp.join(REPO, checkpoint))  # strict
    found = {}
    for name, img in bundled_photos().items():
        found[name + ('.jpg' if name == 'grace_hopper' else '.png')] = \
            detect_faces(model, img, 0.5)[1]
    return model, found, osp.join(REPO, checkpoint), max_gap


def test_budget_and_size(shipped):
    model, _, checkpoint, _ = shipped
    assert count_parameters(model) <= 250_000
    assert osp.getsize(checkpoint) < 1_200_000


def test_one_face_per_photo(shipped):
    found = shipped[1]
    for name, (box, _) in PHOTOS.items():
        assert len(found[name]['boxes']) == 1, name
        assert box_iou(found[name]['boxes'][0][:4], box) >= 0.7, name


def landmark_gap(model, converted):
    """Largest per-coordinate distance (px) between the shipped model's and
    the V1 teacher's landmarks on each bundled photo."""
    from ffmm.analysis import landmark_gaps
    from ffmm.apis import init_face_detector
    teacher = init_face_detector(
        osp.join(REPO, 'configs/featherface/featherface_v1.py'),
        converted['featherface'])
    return landmark_gaps(model, teacher, bundled_photos())


def test_landmarks_follow_the_teacher(shipped, converted, one_thread):  # noqa
    gaps = landmark_gap(shipped[0], converted)
    assert max(gaps.values()) <= shipped[3], gaps


@pytest.mark.xfail(strict=True, reason='target of the mission issue not met '
                   'yet: the shipped landmarks are 6-18 px from the teacher')
def test_landmarks_within_5px_of_the_teacher(shipped, converted,  # noqa
                                             one_thread):
    gaps = landmark_gap(shipped[0], converted)
    assert max(gaps.values()) <= 5, gaps


def test_demo_draws_the_photos(tmp_path, one_thread):
    import json

    from ..conftest import run_tool
    run_tool('tools/demo.py', '--out-dir', str(tmp_path))
    for name in ('astronaut', 'camera', 'grace_hopper'):
        with open(tmp_path / 'detections' / f'{name}.json') as f:
            result = json.load(f)
        assert len(result['boxes']) == 1, name
        assert len(result['landmarks'][0]) == 5, name
        assert (tmp_path / 'detections' / f'{name}.png').stat().st_size > 0
        assert (tmp_path / 'photos' / f'{name}.png').is_file()


def test_loading_a_shipped_model_warns_nothing_about_coco():
    """mmdet's init_detector warns 'use COCO classes' when built without a
    checkpoint and resets the warning filters before doing so; a face
    detector loaded by init_face_detector must not say that."""
    import warnings
    from ffmm.apis import init_face_detector
    config, checkpoint, _ = SHIPPED['default']
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        model = init_face_detector(osp.join(REPO, config),
                                   osp.join(REPO, checkpoint))
    assert not [w for w in caught if 'COCO' in str(w.message)]
    assert model.dataset_meta['classes'] == ('face', )
