"""torch>=2.6 safe loading of mmengine checkpoints stays safe."""
import io
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from ffmm.utils import allow_mmengine_checkpoint_globals

allow_mmengine_checkpoint_globals()  # also done by register_all_modules


class _Evil:

    def __reduce__(self):
        return getattr, (np.ndarray, 'tofile')


def roundtrip(obj):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf)  # default weights_only=True


def test_message_hub_history_buffer_loads_safely():
    buf = HistoryBuffer()
    buf.update(1.5)
    buf.update(0.5)
    loaded = roundtrip(dict(meta=dict(seed=np.int64(3)), hub=buf))
    assert loaded['hub'].min() == 0.5 and loaded['hub'].mean() == 1.0
    assert loaded['meta']['seed'] == 3


def test_other_getattr_uses_are_refused():
    with pytest.raises(pickle.UnpicklingError, match='refusing getattr'):
        roundtrip(dict(x=_Evil()))
