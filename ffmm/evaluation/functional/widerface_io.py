"""Reading and writing WIDER FACE evaluation data.

* the official ground truth: the four ``wider_*_val.mat`` files;
* predictions: ``<event>/<image>.txt`` files holding the image name, the
  box count, then one ``x y w h score`` line per box (the layout of the
  official toolkit, written by ``tools/test.py --dump-widerface``).

numpy (and scipy for the ``.mat`` files) only: see ``widerface_ap``.
"""
import os
import os.path as osp
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np

WIDER_SETTINGS = ('easy', 'medium', 'hard')
GT_FILES = {
    'face': 'wider_face_val.mat',
    'easy': 'wider_easy_val.mat',
    'medium': 'wider_medium_val.mat',
    'hard': 'wider_hard_val.mat',
}

# preds[event][image] = (N, 5) float64 array of x, y, w, h, score.
Predictions = Dict[str, Dict[str, np.ndarray]]


@dataclass
class GTImage:
    """Faces of one image: ``boxes`` (M, 4) x y w h and, per setting, a bool
    mask of the faces that count (the rest are ignored)."""
    boxes: np.ndarray
    keep: Dict[str, np.ndarray]


# gt[event][image] = GTImage
GroundTruth = Dict[str, Dict[str, GTImage]]


def load_widerface_gt(gt_dir: str) -> GroundTruth:
    """Read the four official ``wider_*_val.mat`` files of ``gt_dir``."""
    from scipy.io import loadmat  # scipy is slow to import; only needed here

    missing = [f for f in GT_FILES.values()
               if not osp.isfile(osp.join(gt_dir, f))]
    if missing:
        raise FileNotFoundError(
            f'WIDER FACE ground truth folder {gt_dir} lacks '
            f'{", ".join(missing)}')
    # Loading only the variables used is ~10x faster than whole files.
    face = loadmat(
        osp.join(gt_dir, GT_FILES['face']),
        variable_names=['event_list', 'file_list', 'face_bbx_list'])
    keep_lists = {
        s: loadmat(osp.join(gt_dir, GT_FILES[s]),
                   variable_names=['gt_list'])['gt_list']
        for s in WIDER_SETTINGS
    }
    gt = {}
    for i, event_cell in enumerate(face['event_list'][:, 0]):
        event = str(event_cell[0])
        images = {}
        files = face['file_list'][i, 0][:, 0]
        boxes = face['face_bbx_list'][i, 0][:, 0]
        for j, name_cell in enumerate(files):
            faces = boxes[j].astype(np.float64).reshape(-1, 4)
            keep = {}
            for s, lists in keep_lists.items():
                # 1-based face indices, stored as uint8/uint16.
                idx = lists[i, 0][j, 0].astype(np.int64).ravel() - 1
                mask = np.zeros(len(faces), bool)
                mask[idx] = True
                keep[s] = mask
            images[str(name_cell[0])] = GTImage(faces, keep)
        gt[event] = images
    return gt


def read_pred_file(path: str) -> np.ndarray:
    """Parse one ``<image>.txt``: image name, box count, then one
    ``x y w h score`` line per box. Returns an (N, 5) float64 array."""
    with open(path) as f:
        lines = f.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()

    def fail(lineno, msg):
        raise ValueError(f'{path}:{lineno}: {msg}')

    if not lines or not lines[0].strip():
        fail(1, 'expected the image name')
    # The name may carry the event folder and the image extension.
    name = lines[0].strip().replace('\\', '/').split('/')[-1]
    stem = osp.splitext(osp.basename(path))[0]
    if stem not in (name, osp.splitext(name)[0]):
        fail(1, f'image name {name!r} does not match the file name')
    if len(lines) < 2:
        fail(2, 'expected the number of boxes')
    try:
        count = int(lines[1])
    except ValueError:
        fail(2, f'expected the number of boxes, got {lines[1]!r}')
    rows = [ln.split() for ln in lines[2:]]
    if count != len(rows):
        fail(2, f'says {count} boxes but the file has {len(rows)} box lines')
    for k, row in enumerate(rows):
        if len(row) != 5:
            fail(k + 3, f'expected 5 numbers (x y w h score), got {len(row)}')
    try:
        boxes = np.array(rows, np.float64).reshape(-1, 5)
    except ValueError:
        for k, row in enumerate(rows):  # slow path: find the bad line
            try:
                [float(v) for v in row]
            except ValueError:
                fail(k + 3, f'expected numbers, got {" ".join(row)!r}')
        raise
    # float() accepts 'nan'/'inf'; one inf score rescales every other score
    finite = np.isfinite(boxes).all(1)
    if not finite.all():
        k = int(np.argmin(finite))
        fail(k + 3, f'non-finite number (nan/inf) in {" ".join(rows[k])!r}')
    return boxes


def read_widerface_preds(
        pred_dir: str,
        progress: Optional[Callable[[List[str]], Iterable[str]]] = None,
        required_events: Iterable[str] = ()) -> Predictions:
    """Read every ``pred_dir/<event>/<image>.txt``.

    ``progress`` may wrap the list of event folders (e.g. in a progress bar);
    a missing folder of ``required_events`` is an error.
    """
    if not osp.isdir(pred_dir):
        raise FileNotFoundError(f'prediction folder {pred_dir} not found')
    events = sorted(e for e in os.listdir(pred_dir)
                    if osp.isdir(osp.join(pred_dir, e)))
    missing = sorted(set(required_events) - set(events))
    if missing:
        raise FileNotFoundError(
            f'{pred_dir} has no folder for {len(missing)} WIDER FACE '
            f'event(s): {", ".join(missing)}')
    preds = {}
    for event in (progress(events) if progress else events):
        folder = osp.join(pred_dir, event)
        preds[event] = {
            f[:-4]: read_pred_file(osp.join(folder, f))
            for f in os.listdir(folder) if f.endswith('.txt')
        }
    return preds


def write_widerface_preds(out_dir: str, preds: Predictions) -> None:
    """Write ``out_dir/<event>/<image>.txt`` in the layout read above."""
    for event, images in preds.items():
        os.makedirs(osp.join(out_dir, event), exist_ok=True)
        for name, dets in images.items():
            dets = np.asarray(dets, np.float64).reshape(-1, 5)
            lines = [name, str(len(dets))]
            # 9 significant digits keep float32 scores exact.
            lines += ['%.3f %.3f %.3f %.3f %.9g' % tuple(d) for d in dets]
            with open(osp.join(out_dir, event, name + '.txt'), 'w') as f:
                f.write('\n'.join(lines) + '\n')
