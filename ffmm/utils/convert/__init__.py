from .common import (CheckpointMismatchError, check_fits, head_width,
                     load_reference_state_dict)
from .featherface import convert_featherface
from .retinaface import convert_retinaface

CONVERTERS = dict(retinaface=convert_retinaface,
                  featherface=convert_featherface)

__all__ = [
    'CheckpointMismatchError', 'check_fits', 'head_width',
    'load_reference_state_dict',
    'convert_retinaface', 'convert_featherface', 'CONVERTERS'
]
