"""CPU thread count of a tool process.

On a small machine torch's default (one OpenMP thread per core in every
process) over-subscribes the cores as soon as two jobs run: a training
iteration was measured at 8.5 s instead of 0.4 s with one thread per process.
"""
import os


def resolve_threads(requested=None):
    """``requested`` if given, else ``OMP_NUM_THREADS`` if set, else the
    cores shared out among the local processes of a distributed launch."""
    if requested:
        if requested < 1:
            raise ValueError(f'--threads must be at least 1, got {requested}')
        return requested
    env = os.environ.get('OMP_NUM_THREADS', '')
    if env.isdigit() and int(env) > 0:
        return int(env)
    local_procs = int(os.environ.get('LOCAL_WORLD_SIZE', '1') or 1)
    return max(1, (os.cpu_count() or 1) // max(1, local_procs))


def set_threads(requested=None):
    """Apply :func:`resolve_threads` to torch and to child processes;
    returns the count."""
    import torch
    threads = resolve_threads(requested)
    torch.set_num_threads(threads)
    os.environ['OMP_NUM_THREADS'] = str(threads)
    return threads
