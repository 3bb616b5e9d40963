"""CPU latency measurement shared by the benchmark tools and the demo."""
import time

import torch

from .model_summary import build_from_config


def timed(fn):
    """Wall time of one call, in milliseconds."""
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def time_runs(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    return [timed(fn) for _ in range(runs)]


def make_torch_runner(config, shape):
    """A closure running the deployed model (a distiller's student) on a
    random image: forward plus decode and NMS. Weights are random; latency
    depends on them only through the boxes reaching NMS, which the score
    threshold bounds."""
    model, _ = build_from_config(config)
    model = getattr(model, 'student', model).eval()
    x = torch.randn(1, 3, *shape) * 50
    meta = [dict(img_shape=shape, ori_shape=shape, scale_factor=(1., 1.))]

    @torch.no_grad()
    def run():
        outs = model._forward(x)
        model.bbox_head.predict_by_feat(*outs, batch_img_metas=meta,
                                        rescale=True)

    return run
