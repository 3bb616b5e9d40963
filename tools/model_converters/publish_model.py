"""Publish a trained checkpoint: the deployable weights only.

    python tools/model_converters/publish_model.py CONFIG CKPT OUT.pth \
        [--note TEXT] [--raw]

Keeps the deployed weights (a distillation run's student, see
``extract_student.py``) and the dataset meta; drops the optimizer,
scheduler, message hub and training-only weights (connectors, EMA
teacher). A run with a weight average (``EMAHook``) saved the average
as its weights, and that is what is published; ``--raw`` publishes the
trained weights instead (``meta.weights`` says which). The result
is checked by loading it strictly into CONFIG's deployed model (a
distillation config's student) and refused if it does not fit. Prints the
parameter count and the file's SHA-256. OUT is never overwritten.
"""
import argparse
import hashlib
import os
import os.path as osp

import torch


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='the plain (student) config')
    parser.add_argument('checkpoint', help='checkpoint saved by training')
    parser.add_argument('out', help='file to write (must not exist)')
    parser.add_argument('--note', help='free text stored in meta.note')
    parser.add_argument(
        '--raw', action='store_true',
        help='of a run with EMAHook: the trained weights, not the average')
    return parser.parse_args()


def main():
    args = parse_args()
    if osp.exists(args.out):
        raise SystemExit(f'error: {args.out} exists; not overwriting it')
    from mmdet.registry import MODELS
    from mmengine.registry import init_default_scope

    import ffmm  # noqa: F401
    from ffmm.analysis import count_parameters, deployable_config
    from ffmm.utils.checkpoint_load import (CheckpointError, read_checkpoint,
                                            student_state_dict,
                                            trained_state_dict)
    try:
        ckpt = read_checkpoint(args.checkpoint)
    except CheckpointError as e:
        raise SystemExit(f'error: {e}')
    try:
        weights = (trained_state_dict(ckpt) if args.raw
                   else ckpt.get('state_dict', ckpt))
    except CheckpointError as e:
        raise SystemExit(f'error: {args.checkpoint}: {e}')
    state = student_state_dict(weights)
    cfg = deployable_config(args.config)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    model = MODELS.build(cfg.model)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise SystemExit(f'error: {args.checkpoint} does not fit '
                         f'{args.config}: {e}')
    old_meta = ckpt.get('meta', {}) or {}
    meta = dict(
        dataset_meta=old_meta.get('dataset_meta',
                                  dict(classes=('face', ))),
        config=args.config,
        source=osp.basename(args.checkpoint),
        iter=old_meta.get('iter'), epoch=old_meta.get('epoch'))
    if 'ema_state_dict' in ckpt:
        meta['weights'] = 'trained' if args.raw else 'weight average'
    if args.note:
        meta['note'] = args.note
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    torch.save(dict(state_dict=state, meta=meta), args.out)
    with open(args.out, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f'wrote {args.out}: {count_parameters(model):,} parameters, '
          f'{osp.getsize(args.out):,} bytes, sha256 {digest}')


if __name__ == '__main__':
    main()
