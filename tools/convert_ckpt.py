"""Convert a reference checkpoint into an ffmm checkpoint.

    python tools/convert_ckpt.py --from {retinaface,featherface} SRC DST
        [--config CFG]

The converted weights are checked against the model built from the config
(by default the one matching the source; for FeatherFace the one of the
width C read from the weights); a checkpoint that does not fit is refused
with the first mismatching keys. Profiling buffers (``total_ops`` /
``total_params``) left by FLOP counters are dropped with a logged line.
"""
import argparse
import os
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from ffmm.utils import register_all_modules
from ffmm.utils.convert import (CONVERTERS, CheckpointMismatchError,
                                check_fits, head_width,
                                load_reference_state_dict)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIGS = dict(
    retinaface='configs/retinaface/retinaface_mnet025_widerface.py',
    featherface='configs/featherface/featherface_v1.py')
# FeatherFace V1 configs by neck width C.
FEATHERFACE_CONFIGS = {
    64: 'configs/featherface/featherface_v1.py',
    52: 'configs/featherface/featherface_v1_c52.py',
}


def default_config(source, state_dict):
    """The config matching ``source``; for FeatherFace, the one of the
    width found in the weights."""
    if source != 'featherface':
        return DEFAULT_CONFIGS[source]
    width = head_width(state_dict)
    if width is None:  # not V1 at all: let the key check say why
        return DEFAULT_CONFIGS[source]
    if width not in FEATHERFACE_CONFIGS:
        known = ', '.join(f'C = {c}: {p}'
                          for c, p in FEATHERFACE_CONFIGS.items())
        raise CheckpointMismatchError(
            f'the FeatherFace weights have width C = {width}, which no '
            f'bundled config has ({known}); pass --config with a config '
            f'whose neck.out_channels and bbox_head.in_channels are {width}')
    return FEATHERFACE_CONFIGS[width]


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
    register_all_modules()

    try:
        reference = load_reference_state_dict(args.src)
        config = args.config or osp.join(
            REPO, default_config(args.source, reference))
        converted = CONVERTERS[args.source](reference)
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
