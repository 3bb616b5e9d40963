"""Pick the checkpoint ``--resume`` continues from, skipping broken ones.

mmengine resumes from the file named in ``work_dir/last_checkpoint``; when
that file was cut short (disk full, a killed job) ``torch.load`` fails with
a raw zip error. Here every candidate is read first and the newest readable
one wins, with a warning naming each file that was passed over.
"""
import glob
import logging
import os.path as osp
import re

from mmengine.logging import print_log

from .checkpoint_load import CheckpointError, read_checkpoint

_NUMBER = re.compile(r'(?:iter|epoch)_(\d+)\.pth$')


def candidate_checkpoints(work_dir):
    """``last_checkpoint``'s target first, then ``iter_*.pth`` /
    ``epoch_*.pth`` newest first."""
    found = []
    last = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as f:
            path = f.read().strip()
        if path:
            found.append(path)
    numbered = [(int(m.group(1)), p)
                for p in glob.glob(osp.join(work_dir, '*.pth'))
                for m in [_NUMBER.search(osp.basename(p))] if m]
    for _, path in sorted(numbered, reverse=True):
        if not any(osp.abspath(path) == osp.abspath(f) for f in found):
            found.append(path)
    return found


def find_resume_checkpoint(work_dir, exclude=()):
    """``(path, skipped)``: the newest readable checkpoint of ``work_dir``
    (None when there is none) and the unreadable ones passed over."""
    skipped = []
    excluded = {osp.abspath(p) for p in exclude}
    for path in candidate_checkpoints(work_dir):
        if osp.abspath(path) in excluded:
            continue
        try:
            read_checkpoint(path)
        except CheckpointError as e:
            skipped.append(path)
            print_log(f'resume: skipping {e}', logger='current',
                      level=logging.WARNING)
            continue
        if skipped:
            print_log(
                f'resume: falling back to {path}, the newest readable '
                f'checkpoint ({len(skipped)} newer one(s) unreadable)',
                logger='current', level=logging.WARNING)
        return path, skipped
    return None, skipped
