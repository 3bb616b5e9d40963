"""Let mmengine's launchers train on several CPU processes.

mmengine 0.10.7 assumes an accelerator in two places: ``init_dist`` (via
``_init_dist_pytorch``) calls ``torch.cuda.set_device``, which a CPU build
of torch lacks, and ``Runner.wrap_model`` gives DDP
``device_ids=[LOCAL_RANK]``, which torch refuses for a CPU module. When no
CUDA device exists both are made CPU-safe, once, by
``ffmm.utils.register_all_modules`` (configs call it by importing
``ffmm.plugin`` through ``custom_imports``, so every entry point gets it,
mmdet's ``tools/train.py`` under ``torchrun`` included): the process
group uses gloo (nccl needs CUDA) and DDP wraps without device ids. With
CUDA (or another accelerator) mmengine's code runs unchanged.
"""
import functools
import logging

import torch

_PATCHED = '_ffmm_cpu_patched'


def _on_cpu():
    from mmengine.device import get_device
    return not torch.cuda.is_available() and get_device() in ('cpu', 'mps')


def _cpu_init_dist_pytorch(original):

    @functools.wraps(original)
    def init(backend, init_backend='torch', **kwargs):
        if not _on_cpu() or init_backend != 'torch':
            return original(backend, init_backend=init_backend, **kwargs)
        if backend != 'gloo':
            from mmengine.logging import print_log
            print_log(f'no CUDA device: distributed backend {backend!r} -> '
                      "'gloo'", logger='current', level=logging.WARNING)
        # env:// reads RANK / WORLD_SIZE / MASTER_ADDR set by torchrun
        torch.distributed.init_process_group(backend='gloo', **kwargs)

    setattr(init, _PATCHED, True)
    return init


def _cpu_ddp_init(original):

    @functools.wraps(original)
    def __init__(self, module, *args, **kwargs):
        params = list(module.parameters())
        if kwargs.get('device_ids') is not None and params and all(
                p.device.type == 'cpu' for p in params):
            kwargs['device_ids'] = None  # torch's rule for CPU modules
        original(self, module, *args, **kwargs)

    setattr(__init__, _PATCHED, True)
    return __init__


def enable_cpu_distributed():
    """Install both fixes (idempotent)."""
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel as DDP
    if not getattr(dist_utils._init_dist_pytorch, _PATCHED, False):
        dist_utils._init_dist_pytorch = _cpu_init_dist_pytorch(
            dist_utils._init_dist_pytorch)
    if not getattr(DDP.__init__, _PATCHED, False):
        DDP.__init__ = _cpu_ddp_init(DDP.__init__)
