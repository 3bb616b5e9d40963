"""WIDERFaceLandmarkDataset: the three text formats and clear errors on bad
input."""
import logging

import cv2
import numpy as np
import pytest
from mmengine.logging import MMLogger

from ffmm.datasets import WIDERFaceFormatError, WIDERFaceLandmarkDataset


def write_images(root, *names):
    for name in names:
        path = root / 'images' / name
        path.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), np.zeros((40, 60, 3), np.uint8))


def make(root, text, **kwargs):
    ann = root / 'label.txt'
    ann.write_text(text)
    return WIDERFaceLandmarkDataset(
        ann_file=str(ann), data_prefix=dict(img=str(root / 'images')),
        lazy_init=False, **kwargs)


def test_retinaface_label_format(tmp_path):
    write_images(tmp_path, '0--A/a.jpg', '0--A/b.jpg')
    ds = make(tmp_path, '# 0--A/a.jpg\n'
              '1 2 10 20 3 4 0.0 5 6 0.0 7 8 0.0 9 10 0.0 11 12 0.0 0.9\n'
              '5 5 8 8 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1\n'
              '# 0--A/b.jpg\n')
    assert len(ds) == 2
    faces = ds[0]['instances'] if 'instances' in ds[0] else \
        ds.get_data_info(0)['instances']
    assert faces[0]['bbox'] == [1, 2, 11, 22]
    np.testing.assert_array_equal(faces[0]['keypoints'],
                                  [[3, 4], [5, 6], [7, 8], [9, 10], [11, 12]])
    assert faces[0]['keypoints_visible'].tolist() == [1] * 5
    assert faces[1]['keypoints_visible'].tolist() == [0] * 5
    assert ds.get_data_info(1)['instances'] == []
    assert ds.metainfo['classes'] == ('face', )


def test_official_bbx_gt_format_marks_invalid_faces_ignored(tmp_path):
    write_images(tmp_path, '0--A/a.jpg', '0--A/b.jpg')
    ds = make(tmp_path, '0--A/a.jpg\n2\n'
              '1 2 10 20 0 0 0 0 0 0\n'
              '30 2 10 20 0 0 0 1 0 0\n'
              '0--A/b.jpg\n0\n0 0 0 0 0 0 0 0 0 0\n')
    faces = ds.get_data_info(0)['instances']
    assert [f['ignore_flag'] for f in faces] == [0, 1]
    assert ds.get_data_info(1)['instances'] == []


def test_plain_image_list_for_test_only_runs(tmp_path):
    write_images(tmp_path, '0--A/a.jpg')
    ds = make(tmp_path, '/0--A/a.jpg\n', test_mode=True)
    assert ds.get_data_info(0)['img_path'].endswith('images/0--A/a.jpg')
    assert ds.get_data_info(0)['instances'] == []


def test_malformed_line_names_file_and_line(tmp_path):
    write_images(tmp_path, '0--A/a.jpg')
    with pytest.raises(WIDERFaceFormatError, match=r'label.txt:3: expected'):
        make(tmp_path, '# 0--A/a.jpg\n1 2 10 20\n1 2 x 20\n')
    with pytest.raises(WIDERFaceFormatError, match=r'label.txt:2: .*got 7'):
        make(tmp_path, '# 0--A/a.jpg\n1 2 10 20 1 1 1\n')


def test_missing_image_names_file_and_line(tmp_path):
    write_images(tmp_path, '0--A/a.jpg')
    with pytest.raises(FileNotFoundError,
                       match=r'0--A/gone.jpg \(listed at .*label.txt:3\)'):
        make(tmp_path, '# 0--A/a.jpg\n1 2 10 20\n# 0--A/gone.jpg\n')


class _Records(logging.Handler):

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def test_degenerate_box_is_skipped_with_a_log(tmp_path):
    write_images(tmp_path, '0--A/a.jpg')
    logger = MMLogger.get_current_instance()
    records = _Records()
    logger.addHandler(records)
    try:
        ds = make(tmp_path, '# 0--A/a.jpg\n1 2 0 20\n1 2 10 20\n')
    finally:
        logger.removeHandler(records)
    assert len(ds.get_data_info(0)['instances']) == 1
    assert any('label.txt:2: skipping a face with non-positive size' in m
               for m in records.messages)
