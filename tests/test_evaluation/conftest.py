import numpy as np
import pytest


def _cells(items):
    """(n, 1) object array: saved by scipy as a Matlab cell column."""
    cells = np.empty((len(items), 1), object)
    for i, item in enumerate(items):
        cells[i, 0] = item
    return cells


def keep_indices(indices):
    """1-based keep indices as the official files store them: uint8, or
    uint16 for images with more than 255 faces."""
    indices = np.asarray(indices)
    dtype = np.uint16 if indices.size and indices.max() > 255 else np.uint8
    return indices.astype(dtype).reshape(-1, 1)


def write_fake_gt(folder, events):
    """Write the four official .mat files for ``events``:
    ``{event: {image: (boxes x y w h, {setting: 1-based keep indices})}}``."""
    from scipy.io import savemat
    names = list(events)
    images = [list(events[e]) for e in names]
    savemat(
        str(folder / 'wider_face_val.mat'),
        dict(
            event_list=_cells(names),
            file_list=_cells([_cells(imgs) for imgs in images]),
            face_bbx_list=_cells([
                _cells([
                    np.asarray(events[e][i][0], np.float64).reshape(-1, 4)
                    for i in imgs
                ]) for e, imgs in zip(names, images)
            ])))
    for setting in ('easy', 'medium', 'hard'):
        savemat(
            str(folder / f'wider_{setting}_val.mat'),
            dict(gt_list=_cells([
                _cells([
                    keep_indices(events[e][i][1][setting]) for i in imgs
                ]) for e, imgs in zip(names, images)
            ])))
    return str(folder)


# Two events, three images. Faces are 20x20 apart from a tiny one that only
# the hard setting keeps; image b has no faces.
FAKE_GT = {
    '0--Parade': {
        'img_a': ([[10, 10, 20, 20], [50, 10, 20, 20], [90, 10, 4, 4]],
                  dict(easy=[1, 2], medium=[1, 2], hard=[1, 2, 3])),
        'img_b': (np.zeros((0, 4)), dict(easy=[], medium=[], hard=[])),
    },
    '1--Handshaking': {
        'img_c': ([[0, 0, 30, 30]], dict(easy=[], medium=[1], hard=[1])),
    },
}


@pytest.fixture
def fake_gt_dir(tmp_path):
    folder = tmp_path / 'gt'
    folder.mkdir()
    return write_fake_gt(folder, FAKE_GT)
