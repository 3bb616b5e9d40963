"""BNMomentumHook (deprecated: norm_cfg in the model config replaces it)
still sets the momentum of the trained model's BatchNorms."""
from types import SimpleNamespace

import pytest
import torch.nn as nn

import ffmm  # noqa: F401
from ffmm.engine.hooks import BNMomentumHook


def test_sets_every_batchnorm_momentum():
    model = nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4, momentum=0.01),
                          nn.Sequential(nn.BatchNorm1d(4, momentum=0.01)))
    with pytest.warns(DeprecationWarning):
        hook = BNMomentumHook(momentum=0.1)
    hook.before_train(SimpleNamespace(model=model))
    assert [m.momentum for m in model.modules()
            if isinstance(m, nn.modules.batchnorm._BatchNorm)] == [0.1, 0.1]
