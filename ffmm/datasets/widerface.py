"""WIDER FACE in its three public text formats.

* RetinaFace ``label.txt`` (train and val of the public RetinaFace release):
  ``# event/name.jpg`` lines, each followed by one line per face:
  ``x y w h`` optionally followed by 5 x ``(x y flag)`` landmarks and a
  blur/score value (landmarks are ``-1`` when absent).
* The official ``wider_face_{train,val}_bbx_gt.txt``: image path, face count,
  then ``x y w h blur expression illumination invalid occlusion pose`` per
  face (a count of 0 is followed by one line of zeros). ffmm also reads
  face lines extended by 5 x ``(x y flag)`` landmarks as in ``label.txt``
  (25 numbers; ``-1`` when absent), which
  ``tools/dataset/teacher_landmarks.py`` writes.
* A plain image list (``wider_val.txt`` / ``wider_test_filelist.txt``) for
  test-only runs without annotations.
"""
import math
import os.path as osp

import numpy as np
from mmdet.datasets import BaseDetDataset
from mmdet.registry import DATASETS
from mmengine.fileio import get_local_path
from mmengine.logging import print_log

from .image_check import inspect_image

NUM_POINTS = 5


class WIDERFaceFormatError(ValueError):
    """A label file line that cannot be parsed; names the file and line."""


def _floats(values, path, lineno):
    try:
        numbers = [float(v) for v in values]
    except ValueError:
        raise WIDERFaceFormatError(
            f'{path}:{lineno}: expected numbers, got {" ".join(values)!r}'
        ) from None
    # float() accepts 'nan' and 'inf'; one of them turns the loss into NaN
    if not all(math.isfinite(v) for v in numbers):
        raise WIDERFaceFormatError(
            f'{path}:{lineno}: non-finite number (nan/inf) in '
            f'{" ".join(values)!r}')
    return numbers


def _set_keypoints(face, triples):
    """5 x ``(x y flag)``; a point with a negative coordinate is absent."""
    pts = np.array(triples, np.float32).reshape(NUM_POINTS, 3)[:, :2]
    visible = (pts >= 0).all(1)
    face['keypoints'] = np.where(visible[:, None], pts, 0.0)
    face['keypoints_visible'] = visible.astype(np.float32)


def _warn(msg):
    print_log(msg, logger='current', level=30)


# Its own name: mmdet's ``WIDERFaceDataset`` (VOC XML annotations) keeps
# its registry entry. Configs that still name that one for an ffmm pipeline
# are refused by ffmm's tools (``reject_old_dataset_name``).
@DATASETS.register_module()
class WIDERFaceLandmarkDataset(BaseDetDataset):
    """WIDER FACE with 5-point landmarks, from the text formats above.

    Args:
        ann_file (str): a label file in one of the formats above.
        data_prefix (dict): ``img`` is the folder image paths are relative to.
        min_size (float): faces smaller than this (w or h, pixels) are kept
            as ``ignore_flag=1`` (not trained on, not counted as misses).
        check_images (bool): check every image when the dataset is built
            (cheap: header and end marker, no decoding): missing, unreadable,
            non-image or truncated files, and faces entirely outside their
            image (dropped with a warning naming the label line).
        bad_images (str): what a failed image check does: ``'error'``
            (default: one error listing the files and label lines) or
            ``'skip'`` (leave those images out, with a warning each).

    Images listed twice are kept once (warning naming both lines); a
    dataset left without images is an error that says why.
    """

    METAINFO = dict(classes=('face', ), palette=[(0, 255, 0)])

    def __init__(self, *args, min_size=0.0, check_images=True,
                 bad_images='error', **kwargs):
        if bad_images not in ('error', 'skip'):
            raise ValueError(f"bad_images must be 'error' or 'skip', got "
                             f'{bad_images!r}')
        self.min_size = min_size
        self.check_images = check_images
        self.bad_images = bad_images
        super().__init__(*args, **kwargs)

    # ----------------------------------------------------------- parsing
    def load_records(self):
        """``[(image path as listed, line number, faces)]`` in file order;
        each face is a dict with ``bbox`` (x1, y1, x2, y2), ``ignore_flag``,
        ``keypoints``, ``keypoints_visible`` and its label ``lineno``."""
        # utf-8-sig: a BOM would hide the '#' that marks a label file
        with get_local_path(self.ann_file) as local:
            with open(local, encoding='utf-8-sig') as f:
                lines = [ln.strip() for ln in f]
        return self.parse_records(lines)

    def load_data_list(self):
        records = self.load_records()
        if not records:
            raise ValueError(f'{self.ann_file} lists no images')
        data_list, bad, seen = [], [], {}
        for img_id, (rel_path, lineno, faces) in enumerate(records):
            # wider_val.txt lists '/event/name.jpg'; keep it under the prefix.
            img_path = osp.join(self.data_prefix.get('img', ''),
                                rel_path.lstrip('/'))
            key = osp.normpath(img_path)
            if key in seen:
                _warn(f'{self.ann_file}:{lineno}: {rel_path} is listed again '
                      f'(first at line {seen[key]}); the repeat is skipped')
                continue
            seen[key] = lineno
            info = dict(img_id=img_id, img_path=img_path)
            if self.check_images:
                problem, size = inspect_image(img_path)
                if problem:
                    bad.append(f'{img_path} (listed at {self.ann_file}:'
                               f'{lineno}) {problem}')
                    continue
                info['width'], info['height'] = size
                faces = self._inside(faces, size)
            for face in faces:
                face.pop('lineno', None)
            data_list.append(dict(info, instances=faces))
        self._report_bad(bad, len(records))
        if not data_list:
            raise ValueError(f'{self.ann_file}: none of its {len(records)} '
                             'images can be used (see the warnings above)')
        return data_list

    def _report_bad(self, bad, total):
        if not bad:
            return
        if self.bad_images == 'skip':
            for msg in bad:
                _warn(f'skipping image: {msg}')
            return
        raise FileNotFoundError(
            f'{len(bad)} of {total} image(s) listed in {self.ann_file} '
            'cannot be used: ' + '; '.join(bad[:5]) +
            (' ...' if len(bad) > 5 else '') +
            " (fix or remove them, or set the dataset's bad_images='skip')")

    def _inside(self, faces, size):
        """Drop faces whose box lies entirely outside the image."""
        w, h = size
        kept = []
        for face in faces:
            x1, y1, x2, y2 = face['bbox']
            if x1 >= w or y1 >= h or x2 <= 0 or y2 <= 0:
                _warn(f'{self.ann_file}:{face.get("lineno")}: skipping a '
                      f'face outside its {w}x{h} image (box {x1:g} {y1:g} '
                      f'{x2:g} {y2:g})')
                continue
            kept.append(face)
        return kept

    def parse_records(self, lines):
        """:meth:`load_records` of the lines of a label file."""
        first = next((ln for ln in lines if ln), '')
        if first.startswith('#'):
            return self._parse_retinaface(lines)
        if len(lines) > 1 and lines[1].isdigit():
            return self._parse_official(lines)
        return [(ln, i + 1, []) for i, ln in enumerate(lines) if ln]

    def _parse_retinaface(self, lines):
        records = []
        for lineno, line in enumerate(lines, 1):
            if not line:
                continue
            if line.startswith('#'):
                records.append((line[1:].strip().split(' ')[0], lineno, []))
                continue
            if not records:
                raise WIDERFaceFormatError(
                    f'{self.ann_file}:{lineno}: face line before any '
                    '"# image" line')
            values = _floats(line.split(), self.ann_file, lineno)
            if len(values) not in (4, 5, 19, 20):
                raise WIDERFaceFormatError(
                    f'{self.ann_file}:{lineno}: expected 4 (box) or 20 '
                    f'(box, 5 landmarks, score) numbers, got {len(values)}')
            face = self._make_face(values[:4], lineno)
            if face is None:
                continue
            if len(values) >= 19:
                _set_keypoints(face, values[4:19])
            records[-1][2].append(face)
        return records

    def _parse_official(self, lines):
        records = []
        i = 0
        while i < len(lines):
            if not lines[i]:
                i += 1
                continue
            path, lineno = lines[i], i + 1
            if i + 1 >= len(lines) or not lines[i + 1].isdigit():
                raise WIDERFaceFormatError(
                    f'{self.ann_file}:{lineno + 1}: expected the face count '
                    f'of {path}')
            count = int(lines[i + 1])
            faces = []
            for j in range(i + 2, i + 2 + max(count, 1)):
                if j >= len(lines):
                    raise WIDERFaceFormatError(
                        f'{self.ann_file}:{j + 1}: file ends inside the faces '
                        f'of {path}')
                values = _floats(lines[j].split(), self.ann_file, j + 1)
                if len(values) not in (10, 25):
                    raise WIDERFaceFormatError(
                        f'{self.ann_file}:{j + 1}: expected 10 numbers '
                        f'(x y w h blur expression illumination invalid '
                        f'occlusion pose), optionally followed by 15 '
                        f'(5 landmarks x y flag), got {len(values)}')
                if count == 0:
                    continue
                face = self._make_face(values[:4], j + 1)
                if face is not None:
                    face['ignore_flag'] = max(face['ignore_flag'],
                                              int(values[7]))
                    if len(values) == 25:
                        _set_keypoints(face, values[10:])
                    faces.append(face)
            records.append((path, lineno, faces))
            i += 2 + max(count, 1)
        return records

    def _make_face(self, xywh, lineno):
        x, y, w, h = xywh
        if w <= 0 or h <= 0:
            print_log(
                f'{self.ann_file}:{lineno}: skipping a face with non-positive '
                f'size (w={w}, h={h})',
                logger='current',
                level=30)
            return None
        return dict(
            bbox=[x, y, x + w, y + h],
            bbox_label=0,
            ignore_flag=int(min(w, h) < self.min_size),
            keypoints=np.zeros((NUM_POINTS, 2), np.float32),
            keypoints_visible=np.zeros(NUM_POINTS, np.float32),
            lineno=lineno)  # for messages only, dropped after the checks

    def filter_data(self):
        if self.test_mode or not self.filter_cfg:
            return self.data_list
        if self.filter_cfg.get('filter_empty_gt', False):
            kept = [d for d in self.data_list if any(
                not f['ignore_flag'] for f in d['instances'])]
            # else mmengine fails with "need at least one array to concatenate"
            if not kept:
                raise ValueError(
                    f'{self.ann_file}: all {len(self.data_list)} images were '
                    f'filtered out by filter_cfg={dict(self.filter_cfg)} (no '
                    f'face that is not ignored; min_size={self.min_size})')
            return kept
        return self.data_list
