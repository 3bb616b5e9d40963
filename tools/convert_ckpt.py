"""Convert a reference checkpoint into an ffmm checkpoint.

    python tools/convert_ckpt.py --from retinaface SRC DST [--config CFG]

The converted weights are checked against the model built from the config
(by default the one matching the source); a checkpoint that does not fit is
refused with the first mismatching keys.
"""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from ffmm.utils.convert import (CONVERTERS, CheckpointMismatchError,
                                check_fits, load_reference_state_dict)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIGS = dict(
    retinaface='configs/retinaface/retinaface_mnet025_widerface.py',
    featherface='configs/featherface/featherface_v1.py')


def target_state_dict(config):
    from mmdet.registry import MODELS
    cfg = Config.fromfile(config)
    init_default_scope(cfg.get('default_scope', 'mmdet'))
    cfg.model.backbone.init_cfg = None  # no pretrained load needed here
    return MODELS.build(cfg.model).state_dict(), cfg


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--from', dest='source', required=True,
                        choices=sorted(CONVERTERS))
    parser.add_argument('src', help='reference checkpoint')
    parser.add_argument('dst', help='ffmm checkpoint to write')
    parser.add_argument('--config', help='ffmm config the weights are for')
    args = parser.parse_args()

    config = args.config or osp.join(REPO, DEFAULT_CONFIGS[args.source])
    try:
        converted = CONVERTERS[args.source](
            load_reference_state_dict(args.src))
        target, cfg = target_state_dict(config)
        check_fits(converted, target, source=args.src)
    except CheckpointMismatchError as e:
        raise SystemExit(f'error: {e}')
    dataset_meta = dict(classes=('face', ), palette=[(0, 255, 0)])
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(
        dict(state_dict=converted,
             meta=dict(converted_from=args.source,
                       source=osp.basename(args.src),
                       config=osp.relpath(config, REPO),
                       dataset_meta=dataset_meta)), args.dst)
    print(f'wrote {args.dst} ({len(converted)} tensors, fits {config})')


if __name__ == '__main__':
    main()
