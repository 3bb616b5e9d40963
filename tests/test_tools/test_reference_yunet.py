"""The YuNet-n architecture stand-in (random weights, for latency): the
official parameter count, the official output layout, and an ONNX export
that runs in onnxruntime like the PyTorch model."""
import collections

import numpy as np
import pytest
import torch

from ffmm.deploy import onnx_parameter_count
from ffmm.deploy.reference_yunet import (OUTPUT_NAMES, STRIDES,
                                         YUNET_N_PARAMS,
                                         build_yunet_n_architecture,
                                         export_yunet_n_architecture)

from ..conftest import load_script

pytestmark = pytest.mark.usefixtures('one_thread')

CHANNELS = dict(cls=1, obj=1, bbox=4, kps=10)


@pytest.fixture(scope='module')
def model():
    return build_yunet_n_architecture(seed=0)


def expected_shapes(h, w):
    return {
        f'{kind}_{s}': (1, (h // s) * (w // s), c)
        for kind, c in CHANNELS.items() for s in STRIDES
    }


def test_parameter_count_is_yunet_n(model):
    # libfacedetection.train's published count for yunet_n
    assert YUNET_N_PARAMS == 75856
    assert sum(p.numel() for p in model.parameters()) == YUNET_N_PARAMS


def test_outputs_follow_the_official_layout(model):
    with torch.no_grad():
        outs = model(torch.rand(1, 3, 640, 640) * 255)
    assert len(outs) == len(OUTPUT_NAMES) == 12
    shapes = {n: tuple(o.shape) for n, o in zip(OUTPUT_NAMES, outs)}
    assert shapes == expected_shapes(640, 640)
    assert shapes['cls_8'] == (1, 6400, 1)
    assert shapes['kps_8'] == (1, 6400, 10)
    for name, out in zip(OUTPUT_NAMES, outs):
        assert torch.isfinite(out).all()
        if name.startswith(('cls', 'obj')):  # sigmoid in the graph
            assert ((out >= 0) & (out <= 1)).all()


@pytest.mark.parametrize('dynamic', [False, True])
def test_onnx_export_matches_pytorch(model, tmp_path, dynamic):
    onnx = pytest.importorskip('onnx')
    ort = pytest.importorskip('onnxruntime')
    path = tmp_path / 'yunet_n.onnx'
    export_yunet_n_architecture(path, 160, 160, dynamic=dynamic, seed=0)
    graph = onnx.load(str(path)).graph
    ops = collections.Counter(n.op_type for n in graph.node)
    # BN folded into the convolutions, as in an export of a trained model
    assert 'BatchNormalization' not in ops
    assert ops['Conv'] == 59 and ops['Resize'] == 2 and ops['MaxPool'] == 4
    assert [o.name for o in graph.output] == list(OUTPUT_NAMES)
    bn_channels = sum(m.num_features for m in model.modules()
                      if isinstance(m, torch.nn.BatchNorm2d))
    assert onnx_parameter_count(onnx.load(str(path))) == (
        YUNET_N_PARAMS - 2 * bn_channels)

    sess = ort.InferenceSession(str(path),
                                providers=['CPUExecutionProvider'])
    assert [i.name for i in sess.get_inputs()] == ['input']
    # a dynamic export also takes another size
    h, w = (224, 160) if dynamic else (160, 160)
    image = torch.rand(1, 3, h, w) * 255
    with torch.no_grad():
        ref = model(image)
    outs = sess.run(None, {'input': image.numpy()})
    shapes = expected_shapes(h, w)
    for name, r, o in zip(OUTPUT_NAMES, ref, outs):
        assert o.shape == shapes[name], name
        np.testing.assert_allclose(o, r.numpy(), rtol=1e-4, atol=1e-4,
                                   err_msg=name)


def test_export_tool(tmp_path, monkeypatch, capsys):
    pytest.importorskip('onnx')
    tool = load_script('tools', 'deploy', 'export_yunet_reference.py')
    out = tmp_path / 'ref.onnx'
    monkeypatch.setattr('sys.argv', ['export_yunet_reference.py', str(out),
                                     '--shape', '160x160'])
    tool.main()
    stdout = capsys.readouterr().out
    assert out.exists()
    assert '75,856' in stdout
    assert 'cls_8' in stdout and 'kps_32' in stdout
