"""WIDERFaceLandmarkDataset refuses or skips, naming file and line, what
would otherwise change results silently."""
import os.path as osp

import cv2
import numpy as np
import pytest

from ffmm.datasets import widerface
from ffmm.datasets.image_check import inspect_image
from ffmm.datasets.widerface import (WIDERFaceFormatError,
                                     WIDERFaceLandmarkDataset)

FACE = '2 2 8 8 4 4 0 8 4 0 6 6 0 4 8 0 8 8 0 0.9'


def write_image(path, ext='.jpg', size=(16, 20)):
    img = np.random.RandomState(0).randint(0, 255, (*size, 3), np.uint8)
    ok, data = cv2.imencode(ext, img)
    assert ok
    with open(path, 'wb') as f:
        f.write(data.tobytes())
    return data.tobytes()


@pytest.fixture
def warnings(monkeypatch):
    messages = []
    monkeypatch.setattr(widerface, '_warn', messages.append)
    return messages


def build(tmp_path, label, images=('a.jpg', ), **kwargs):
    (tmp_path / 'images').mkdir(exist_ok=True)
    for name in images:
        if not (tmp_path / 'images' / name).exists():
            write_image(str(tmp_path / 'images' / name))
    ann = tmp_path / 'label.txt'
    ann.write_text(label) if isinstance(label, str) else ann.write_bytes(
        label)
    return WIDERFaceLandmarkDataset(
        ann_file=str(ann), data_prefix=dict(img=str(tmp_path / 'images')),
        pipeline=[], **kwargs)


@pytest.mark.parametrize('bad', ['nan', 'inf', '-inf'])
def test_non_finite_numbers_are_rejected_with_file_and_line(tmp_path, bad):
    label = f'# a.jpg\n{FACE}\n2 2 8 8 4 4 0 {bad} 4 0 6 6 0 4 8 0 8 8 0 1\n'
    with pytest.raises(WIDERFaceFormatError, match=r'label\.txt:3: non-fin'):
        build(tmp_path, label)


def test_utf8_bom_keeps_a_label_file_a_label_file(tmp_path):
    ds = build(tmp_path, b'\xef\xbb\xbf# a.jpg\n' + FACE.encode() + b'\n')
    assert len(ds) == 1
    assert ds[0]['img_path'].endswith('a.jpg')  # not '\ufeff# a.jpg'
    assert len(ds[0]['instances']) == 1


def test_image_listed_twice_is_kept_once(tmp_path, warnings):
    ds = build(tmp_path, f'# a.jpg\n{FACE}\n# a.jpg\n{FACE}\n')
    assert len(ds) == 1
    assert 'label.txt:3: a.jpg is listed again (first at line 1)' in \
        warnings[0]


def test_face_outside_its_image_is_dropped(tmp_path, warnings):
    # the image is 20 x 16 (w x h)
    ds = build(tmp_path, f'# a.jpg\n{FACE}\n30 2 5 5\n2 40 5 5\n')
    assert [f['bbox'] for f in ds[0]['instances']] == [[2., 2., 10., 10.]]
    assert len(warnings) == 2
    assert 'label.txt:3: skipping a face outside its 20x16 image' in \
        warnings[0]
    assert (ds[0]['width'], ds[0]['height']) == (20, 16)


def test_truncated_and_non_images_fail_at_build_time(tmp_path, warnings):
    (tmp_path / 'images').mkdir()
    data = write_image(str(tmp_path / 'images' / 'cut.jpg'))
    (tmp_path / 'images' / 'cut.jpg').write_bytes(data[:len(data) // 2])
    (tmp_path / 'images' / 'text.jpg').write_text('not an image')
    label = f'# a.jpg\n{FACE}\n# cut.jpg\n{FACE}\n# text.jpg\n{FACE}\n'
    with pytest.raises(FileNotFoundError) as err:
        build(tmp_path, label)
    msg = str(err.value)
    assert 'cut.jpg (listed at' in msg and 'label.txt:3) is a truncated ' \
        'JPEG' in msg
    assert 'label.txt:5) is not an image' in msg
    # or left out, each with a warning, when asked to
    ds = build(tmp_path, label, bad_images='skip')
    assert [osp.basename(d['img_path']) for d in ds] == ['a.jpg']
    assert len(warnings) == 2 and 'cut.jpg' in warnings[0]


def test_empty_or_fully_filtered_dataset_says_so(tmp_path):
    with pytest.raises(ValueError, match='lists no images'):
        build(tmp_path, '\n')
    with pytest.raises(ValueError, match='all 1 images were filtered out'):
        build(tmp_path, f'# a.jpg\n{FACE}\n', min_size=100,
              filter_cfg=dict(filter_empty_gt=True))


def test_inspect_image_accepts_complete_png_and_jpeg(tmp_path):
    for ext in ('.png', '.jpg'):
        path = str(tmp_path / ('x' + ext))
        write_image(path, ext)
        assert inspect_image(path) == (None, (20, 16))
    assert inspect_image(str(tmp_path))[0] == 'is a folder, not an image'
