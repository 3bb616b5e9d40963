"""Where the time of an ONNX model goes: onnxruntime's profiler per op type."""
import collections
import json
import os
import tempfile


def onnx_op_profile(onnx_file, shape, runs=20, threads=1, warmup=3):
    """Kernel time per op type of ``onnx_file`` on random input of
    ``(1, 3, *shape)``, summed over ``runs`` timed runs of onnxruntime's
    CPU provider.

    Returns ``[(op_type, ms_per_run, share)]``, most expensive first;
    shares add up to 1. Op types are onnxruntime's after its graph
    optimisation (e.g. ``FusedConv`` for a conv fused with its activation).
    The profiler's JSON goes to a temporary folder and is removed.
    """
    import numpy as np

    from ffmm.deploy.onnx_face_detector import ort_session
    x = (np.random.randn(1, 3, *shape) * 50 + 117).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        sess = ort_session(onnx_file, threads,
                           profile_prefix=os.path.join(tmp, 'profile'))
        name = sess.get_inputs()[0].name
        for _ in range(warmup + runs):
            sess.run(None, {name: x})
        with open(sess.end_profiling()) as f:
            events = json.load(f)
    # count the kernels of the timed runs only (after the warm-up ones)
    starts = sorted(e['ts'] for e in events if e.get('name') == 'model_run')
    first = starts[warmup] if len(starts) > warmup else 0
    per_op = collections.Counter()
    for e in events:
        if e.get('cat') == 'Node' and e['name'].endswith('_kernel_time') \
                and e['ts'] >= first:
            per_op[e['args']['op_name']] += e['dur']  # microseconds
    total = sum(per_op.values()) or 1
    return [(op, us / runs / 1000.0, us / total)
            for op, us in per_op.most_common()]
