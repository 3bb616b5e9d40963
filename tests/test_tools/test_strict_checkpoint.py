"""Checkpoints load strictly, with errors naming the file or the keys."""
import os.path as osp

import pytest

from ffmm.apis import init_face_detector
from ffmm.utils.checkpoint_load import CheckpointError
from ffmm.utils.tool_checks import check_amp_device

from ..conftest import REPO, run_tool
from .test_detect_tool import CONFIG, save_random_checkpoint

STUDENT = osp.join(REPO, 'configs/featherface/ffv2_ultra_student_mini.py')
DISTILL = osp.join(REPO, 'configs/featherface/ffv2_ultra_mini.py')

pytestmark = pytest.mark.usefixtures('one_thread')


@pytest.fixture(scope='module')
def student_ckpt(tmp_path_factory):
    return save_random_checkpoint(
        STUDENT, tmp_path_factory.mktemp('ckpt') / 'student.pth')


def test_wrong_architecture_is_refused_naming_keys(student_ckpt):
    with pytest.raises(CheckpointError) as err:
        init_face_detector(CONFIG, student_ckpt)
    msg = str(err.value)
    assert f'checkpoint {student_ckpt} does not fit the model' in msg
    assert 'missing: ' in msg and 'unexpected: ' in msg
    # the right config loads it
    assert init_face_detector(STUDENT, student_ckpt) is not None


def test_truncated_or_missing_checkpoint_is_named(student_ckpt, tmp_path):
    cut = tmp_path / 'cut.pth'
    with open(student_ckpt, 'rb') as f:
        cut.write_bytes(f.read()[:5000])
    with pytest.raises(CheckpointError, match='cut.pth cannot be read: '
                       'the file is truncated'):
        init_face_detector(STUDENT, str(cut))
    with pytest.raises(CheckpointError, match='does not exist'):
        init_face_detector(STUDENT, str(tmp_path / 'none.pth'))


def test_test_tool_refuses_wrong_checkpoint_and_distill_config(
        student_ckpt, tmp_path):
    proc = run_tool('tools/test.py', CONFIG, student_ckpt, '--work-dir',
                    str(tmp_path), check=False)
    assert proc.returncode != 0
    assert 'does not fit the model' in proc.stderr, proc.stderr[-2000:]
    assert 'Traceback' not in proc.stderr

    proc = run_tool('tools/test.py', DISTILL, student_ckpt, '--work-dir',
                    str(tmp_path), check=False)
    assert proc.returncode != 0
    assert 'is a distillation config' in proc.stderr
    assert 'configs/featherface/ffv2_ultra_student_mini.py' in proc.stderr


def test_amp_on_cpu_is_a_clear_error(monkeypatch):
    import torch
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    with pytest.raises(SystemExit, match='--amp .* needs a CUDA GPU'):
        check_amp_device()
