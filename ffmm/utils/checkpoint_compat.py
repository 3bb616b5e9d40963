"""Let torch>=2.6 load mmengine's own checkpoints without disabling safety.

``torch.load`` defaults to ``weights_only=True`` since torch 2.6, and
mmengine 0.10.7 calls it without the argument; its checkpoints hold a few
non-tensor objects (the message hub's ``HistoryBuffer``, numpy scalars and
arrays in ``meta``), so resuming fails. Instead of turning the safe loader
off, allowlist exactly those types, once, when ffmm is imported.
"""
import numpy as np
import torch


def _numpy_globals():
    multiarray = np.core.multiarray
    dtypes = [type(np.dtype(t)) for t in (np.float64, np.float32, np.int64,
                                          np.int32, np.bool_, np.uint8)]
    return [multiarray._reconstruct, multiarray.scalar, np.ndarray, np.dtype,
            *dtypes]


def allow_mmengine_checkpoint_globals():
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if add is None:  # torch < 2.4 has no weights_only default to fix
        return
    from mmengine.logging import HistoryBuffer
    add([HistoryBuffer, *_numpy_globals()])
