"""--resume passes over a truncated latest checkpoint, with a warning."""
import os.path as osp

import torch

from ffmm.utils.resume import find_resume_checkpoint

from ..conftest import run_tool
from .test_train_resume import write_config


def truncate(path):
    with open(path, 'rb') as f:
        data = f.read()
    with open(path, 'wb') as f:
        f.write(data[:len(data) // 2])


def test_newest_readable_checkpoint_is_chosen(tmp_path):
    for i in (1, 2, 3):
        torch.save(dict(meta=dict(iter=i)), tmp_path / f'iter_{i}.pth')
    truncate(tmp_path / 'iter_3.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_3.pth'))
    path, skipped = find_resume_checkpoint(str(tmp_path))
    assert path == str(tmp_path / 'iter_2.pth')
    assert skipped == [str(tmp_path / 'iter_3.pth')]


def test_train_resumes_from_previous_valid_checkpoint(mini_widerface,
                                                      tmp_path, one_thread):
    work = str(tmp_path / 'work')
    extra = ("default_hooks['checkpoint']['interval'] = 1\n"
             'val_dataloader = val_cfg = val_evaluator = None\n')
    first = write_config(tmp_path / 'a.py', mini_widerface + '/', 2)
    with open(first, 'a') as f:
        f.write(extra)
    run_tool('tools/train.py', first, '--work-dir', work)
    truncate(osp.join(work, 'iter_2.pth'))

    second = write_config(tmp_path / 'b.py', mini_widerface + '/', 3)
    with open(second, 'a') as f:
        f.write(extra)
    proc = run_tool('tools/train.py', second, '--work-dir', work, '--resume')
    out = proc.stdout + proc.stderr
    assert 'iter_2.pth cannot be read' in out
    assert 'falling back to' in out and 'iter_1.pth' in out
    ckpt = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu')
    assert ckpt['meta']['iter'] == 3

    # an explicit broken path is named, with the file to use instead
    truncate(osp.join(work, 'iter_2.pth'))  # rewritten by the resumed run
    proc = run_tool('tools/train.py', second, '--work-dir', work, '--resume',
                    osp.join(work, 'iter_2.pth'), check=False)
    assert proc.returncode != 0
    assert 'iter_2.pth cannot be read' in proc.stderr
    assert 'resume from' in proc.stderr and 'iter_3.pth' in proc.stderr
