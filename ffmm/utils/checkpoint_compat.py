"""Let torch>=2.6 load mmengine's own checkpoints without disabling safety.

``torch.load`` defaults to ``weights_only=True`` since torch 2.6, and
mmengine 0.10.7 calls it without the argument; its checkpoints hold a few
non-tensor objects (the message hub's ``HistoryBuffer``, numpy scalars and
arrays in ``meta``), so resuming fails. Instead of turning the safe loader
off, allowlist exactly those types, once, from
``ffmm.utils.register_all_modules``.
"""
import functools
import pickle

import numpy as np
import torch


def _numpy_globals():
    multiarray = np.core.multiarray
    dtypes = [type(np.dtype(t)) for t in (np.float64, np.float32, np.int64,
                                          np.int32, np.bool_, np.uint8)]
    return [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype,
            *dtypes]


def _history_buffer_getattr(history_buffer_cls):
    """A ``getattr`` for the unpickler that only resolves HistoryBuffer's own
    public methods (its pickled statistics table refers to ``min``, ``max``,
    ``mean``, ``current`` by name); any other use is refused."""

    def restricted_getattr(obj, name):
        if (obj is history_buffer_cls and not name.startswith('_')
                and callable(vars(history_buffer_cls).get(name))):
            return getattr(obj, name)
        raise pickle.UnpicklingError(
            f'refusing getattr({obj!r}, {name!r}) in a checkpoint')

    return restricted_getattr


@functools.cache  # once a process: torch keeps a list of allowed globals
def allow_mmengine_checkpoint_globals():
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if add is None:  # torch < 2.4 has no weights_only default to fix
        return
    from mmengine.logging import HistoryBuffer
    add([HistoryBuffer, *_numpy_globals(),
         (_history_buffer_getattr(HistoryBuffer), 'builtins.getattr')])
