"""tools/detect.py never writes over an input, names outputs uniquely and
reports bad inputs without stopping at them."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from mmdet.registry import MODELS

from ..conftest import REPO, load_deployable_cfg, run_tool

CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_mini.py')

pytestmark = pytest.mark.usefixtures('one_thread')


def save_random_checkpoint(config, path):
    init_default_scope('mmdet')
    model = MODELS.build(load_deployable_cfg(config).model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(path))
    return str(path)


@pytest.fixture(scope='module')
def random_ckpt(tmp_path_factory):
    return save_random_checkpoint(
        CONFIG, tmp_path_factory.mktemp('ckpt') / 'retinaface.pth')


def write_png(path, seed):
    img = np.random.RandomState(seed).randint(0, 255, (32, 40, 3), np.uint8)
    cv2.imwrite(str(path), img)
    return path.read_bytes()


def test_detect_keeps_inputs_and_names_outputs_uniquely(random_ckpt,
                                                        tmp_path):
    a, b = tmp_path / 'a', tmp_path / 'b'
    a.mkdir()
    b.mkdir()
    originals = {p: write_png(p, i) for i, p in enumerate(
        [a / 'x.png', b / 'x.png', a / 'y.png'])}
    (a / 'bad.png').write_text('not an image')
    proc = run_tool('tools/detect.py', CONFIG, random_ckpt, str(a / 'x.png'),
                    str(b / 'x.png'), str(a / 'y.png'), str(a),
                    str(a / 'bad.png'), '--out-dir', str(a),
                    '--score-thr', '0.0', check=False)
    # the bad inputs are reported, the good ones still processed
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert f'{a} is a folder' in proc.stderr
    assert 'bad.png is not an image' in proc.stderr
    for path, data in originals.items():
        assert path.read_bytes() == data, f'{path} was overwritten'
    for stem in ('a_x', 'b_x', 'y_det'):  # same name -> folder added
        with open(a / f'{stem}.json') as f:
            result = json.load(f)
        assert set(result) == {'boxes', 'landmarks'}
        assert (a / f'{stem}.png').is_file()


def test_detect_reports_a_bad_checkpoint_without_traceback(tmp_path):
    missing = str(tmp_path / 'none.pth')
    proc = run_tool('tools/detect.py', CONFIG, missing, 'x.png',
                    '--out-dir', str(tmp_path), check=False)
    assert proc.returncode != 0
    assert f'error: checkpoint {missing} does not exist' in proc.stderr
    assert 'Traceback' not in proc.stderr
