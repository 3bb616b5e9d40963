"""Write the student of a distillation checkpoint as a plain checkpoint.

    python tools/model_converters/extract_student.py IN.pth OUT.pth [--force]

Like MMRazor's ``convert_kd_ckpt_to_student.py``: keeps the ``student.*``
weights of a ``FaceDistiller`` checkpoint without their prefix (connectors
and EMA teacher dropped) and the checkpoint's ``meta``; optimizer and
scheduler states are dropped. OUT loads strictly into the plain student
config (``configs/featherface/ffv2_ultra_student.py`` for
``configs/ffv2_ultra.py``). A checkpoint of the previous distiller layout
(student keys at top level) gives its student keys too. OUT is never
overwritten without ``--force`` and must differ from IN.
"""
import argparse
import os
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(
    __file__)))))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='distillation checkpoint (IN)')
    parser.add_argument('out', help='student checkpoint to write (OUT)')
    parser.add_argument('--force', action='store_true',
                        help='overwrite OUT when it exists')
    return parser.parse_args(argv)


def extract_student(checkpoint, out, force=False):
    """Write the student of ``checkpoint`` to ``out``; returns the number
    of tensors written."""
    from ffmm.utils.checkpoint_load import (checkpoint_state_dict,
                                            read_checkpoint,
                                            student_state_dict)
    if osp.abspath(checkpoint) == osp.abspath(out):
        raise SystemExit('error: OUT is IN; write the student elsewhere')
    if osp.exists(out) and not force:
        raise SystemExit(f'error: {out} exists; not overwriting it '
                         '(--force to replace it)')
    ckpt = read_checkpoint(checkpoint)
    state = student_state_dict(checkpoint_state_dict(ckpt))
    if not state:
        raise SystemExit(f'error: {checkpoint} holds no student weights')
    meta = dict(ckpt.get('meta', {}) or {})
    meta['extracted_from'] = osp.basename(checkpoint)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    torch.save(dict(state_dict=state, meta=meta), out)
    return len(state)


def main(argv=None):
    args = parse_args(argv)
    n = extract_student(args.checkpoint, args.out, args.force)
    print(f'wrote {args.out}: the student of {args.checkpoint} '
          f'({n} tensors)')


if __name__ == '__main__':
    main()
