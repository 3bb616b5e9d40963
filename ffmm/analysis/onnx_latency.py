"""Latency of several ONNX face detectors side by side, in one process.

Models alternate within every round (the first model of a round rotates),
so that load from other processes hits all of them alike; ratios to the
first model are the median of the per-round ratios. Any ONNX file with one
image input can be timed (network only); ffmm exports can also be timed
end to end: image conversion, padding, network, score threshold, top-k
and NMS (``ONNXFaceDetector``).
"""
import os.path as osp
import statistics

import numpy as np

from .latency import timed


def onnx_parameters(onnx_file):
    """Parameters of an ONNX file: the export's recorded BN-folded count,
    else the elements of its float initializers (int8 weights included)."""
    import onnx
    model = onnx.load(onnx_file, load_external_data=False)
    props = {p.key: p.value for p in model.metadata_props}
    if 'parameters_bn_folded' in props:
        return int(props['parameters_bn_folded'])
    from onnx import TensorProto
    kinds = (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.INT8,
             TensorProto.UINT8)
    return sum(int(np.prod(i.dims)) for i in model.graph.initializer
               if i.data_type in kinds and len(i.dims) > 1)


def _fits(session, shape):
    dims = session.get_inputs()[0].shape
    return all(not isinstance(d, int) or d == s
               for d, s in zip(dims[-2:], shape))


def make_onnx_runner(onnx_file, shape, threads, end_to_end=False):
    """A closure timing one inference of ``onnx_file`` on a random image of
    ``shape`` (H, W), or None when its static input does not take it.

    ``end_to_end`` (ffmm exports only): from an HxWx3 uint8 BGR image to
    the final detections."""
    from ffmm.deploy.onnx_face_detector import (ONNXFaceDetector,
                                                image_to_input, ort_session)
    rng = np.random.default_rng(0)
    if end_to_end:
        detector = ONNXFaceDetector(onnx_file, threads=threads)
        if not _fits(detector.session, shape):
            return None
        image = rng.integers(0, 256, (*shape, 3), dtype=np.uint8)
        return lambda: detector(image)
    session = ort_session(onnx_file, threads)
    if not _fits(session, shape):
        return None
    inp = session.get_inputs()[0]
    x = image_to_input(rng.integers(0, 256, (*shape, 3), dtype=np.uint8))
    if 'uint8' in inp.type:
        x = x.astype(np.uint8)
    feed = {inp.name: x}
    return lambda: session.run(None, feed)


def interleaved_latency(runners, rounds=30, warmup=5):
    """Median ms of each runner and median per-round ratio to the first.

    ``runners``: list of closures (the first is the reference). Returns
    ``(medians, ratios)``."""
    for run in runners:
        for _ in range(warmup):
            run()
    n = len(runners)
    times = [[] for _ in runners]
    for r in range(rounds):
        for k in range(n):
            i = (r + k) % n
            times[i].append(timed(runners[i]))
    medians = [statistics.median(t) for t in times]
    ratios = [statistics.median(a / b for a, b in zip(t, times[0]))
              for t in times]
    return medians, ratios


def latency_table(onnx_files, names=None, shapes=((640, 640), ),
                  threads=(1, ), rounds=30, warmup=5, repeats=3,
                  end_to_end=False):
    """Rows of the side-by-side table: one per (shape, threads, model).

    Each setting is measured ``repeats`` times; a row holds the median of
    the repeats' medians and ratios, and ``ratio_spread``: (max - min) /
    median of the repeats' ratios (how far the runs agree)."""
    names = names or [osp.splitext(osp.basename(f))[0] for f in onnx_files]
    rows = []
    for shape in shapes:
        for nthreads in threads:
            runners = [make_onnx_runner(f, shape, nthreads, end_to_end)
                       for f in onnx_files]
            live = [i for i, r in enumerate(runners) if r is not None]
            if not live or live[0] != 0:
                raise ValueError(f'the reference model {onnx_files[0]} '
                                 f'does not take {shape[0]}x{shape[1]}')
            runs = [interleaved_latency([runners[i] for i in live], rounds,
                                        warmup) for _ in range(repeats)]
            for j, i in enumerate(live):
                rep_ratios = [ratios[j] for _, ratios in runs]
                ratio = statistics.median(rep_ratios)
                rows.append(dict(
                    model=names[i], onnx=onnx_files[i],
                    params=onnx_parameters(onnx_files[i]),
                    shape=list(shape), threads=nthreads,
                    end_to_end=end_to_end,
                    median_ms=statistics.median(m[j] for m, _ in runs),
                    ratio=ratio,
                    ratio_spread=(max(rep_ratios) - min(rep_ratios)) /
                    ratio))
            for i in set(range(len(onnx_files))) - set(live):
                rows.append(dict(model=names[i], onnx=onnx_files[i],
                                 shape=list(shape), threads=nthreads,
                                 skipped='static input of another size'))
    return rows


def markdown_table(rows):
    lines = ['| model | params | input | threads | latency (ms) | '
             'vs first | runs agree within |',
             '|---|---:|---|---:|---:|---:|---:|']
    for r in rows:
        size = f'{r["shape"][0]}x{r["shape"][1]}'
        threads = r['threads'] or 'all'
        if 'skipped' in r:
            lines.append(f'| {r["model"]} | | {size} | {threads} | '
                         f'{r["skipped"]} | | |')
            continue
        lines.append(
            f'| {r["model"]} | {r["params"]:,} | {size} | {threads} | '
            f'{r["median_ms"]:.1f} | {r["ratio"]:.2f} | '
            f'{100 * r["ratio_spread"]:.0f}% |')
    return '\n'.join(lines)
