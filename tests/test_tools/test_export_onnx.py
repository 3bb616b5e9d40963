"""ONNX export: parity with PyTorch in onnxruntime, dynamic shapes,
parameter count, refusal of deformable convolutions, benchmark --onnx."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.runner import load_checkpoint

import ffmm  # noqa: F401
from ffmm.analysis import build_from_config
from ffmm.deploy import (FaceDetectorONNXWrapper, UnsupportedModelError,
                         check_exportable, export_onnx, folded_parameter_count)
from ffmm.utils.convert import convert_retinaface, load_reference_state_dict

from ..conftest import REPO, load_script, run_tool, shared_file

onnx = pytest.importorskip('onnx')
ort = pytest.importorskip('onnxruntime')

CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_widerface.py')
TOL = dict(rtol=1e-4, atol=1e-4)
# Boxes and landmarks are pixel coordinates decoded as centre -/+ half size:
# near 0 px the float32 rounding of terms of hundreds of pixels (~1e-5 each)
# leaves a few 1e-4 px, depending on how onnxruntime fuses the ops.
COORD_TOL = dict(rtol=1e-4, atol=1e-3)


pytestmark = pytest.mark.usefixtures('one_thread')


def build(config=CONFIG, ckpt=None):
    model, _ = build_from_config(config)
    if ckpt:
        load_checkpoint(model, ckpt, map_location='cpu', logger='silent')
    return model.eval()


def randomize(model, seed=0):
    """Distinct random weights and BN statistics (a fresh model's zero BN
    biases and constant inits would be merged by the exporter)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.01)
        for m in model.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.running_mean.uniform_(-1, 1, generator=g)
                m.running_var.uniform_(0.5, 2, generator=g)
    return model


@pytest.fixture(scope='module')
def random_ckpt(tmp_path_factory):
    path = tmp_path_factory.mktemp('ckpt') / 'random.pth'
    torch.save(dict(state_dict=randomize(build()).state_dict()), path)
    return str(path)


def torch_outputs(model, image):
    with torch.no_grad():
        return [t.numpy() for t in FaceDetectorONNXWrapper(model)(image)]


def ort_outputs(path, image):
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])
    assert [i.name for i in sess.get_inputs()] == ['image']
    return sess.run(None, {'image': image.numpy()})


def assert_parity(ref, out):
    for name, r, o in zip(('boxes', 'scores', 'landmarks'), ref, out):
        assert r.shape == o.shape, name
        tol = TOL if name == 'scores' else COORD_TOL
        np.testing.assert_allclose(o, r, err_msg=name, **tol)


@pytest.fixture(scope='module')
def static_export(random_ckpt, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('onnx') / 'rf.onnx')
    proc = run_tool('tools/deploy/export_onnx.py', CONFIG, random_ckpt, out,
                    '--shape', '160', '192')
    return out, proc.stdout


def test_static_export_matches_pytorch(random_ckpt, static_export):
    out, stdout = static_export
    model = build(ckpt=random_ckpt)
    image = torch.rand(1, 3, 160, 192) * 255
    ref, res = torch_outputs(model, image), ort_outputs(out, image)
    assert ref[0].shape == (1, 2 * (20 * 24 + 10 * 12 + 5 * 6), 4)
    assert ref[2].shape[2:] == (5, 2)
    assert_parity(ref, res)
    # input convention recorded in the model, parameters as printed
    m = onnx.load(out)
    props = {p.key: p.value for p in m.metadata_props}
    assert 'BGR' in m.doc_string and '0..255' in m.doc_string
    assert 'BGR' in props['input_convention']
    assert props['mean'] == '[104.0, 117.0, 123.0]'
    assert 'ONNX 423,264' in stdout
    assert props['torch_parameters'] == '426608'


def test_dynamic_export_runs_at_other_sizes(random_ckpt, tmp_path):
    out = str(tmp_path / 'rf_dyn.onnx')
    model = build(ckpt=random_ckpt)
    export_onnx(model, out, shape=(128, 128), dynamic=True)
    for shape in [(1, 160, 224), (2, 96, 64)]:
        image = torch.rand(shape[0], 3, *shape[1:]) * 255
        ref, res = torch_outputs(model, image), ort_outputs(out, image)
        assert_parity(ref, res)


def test_wrapper_decodes_like_the_head():
    model = randomize(build(), seed=1)
    wrapper = FaceDetectorONNXWrapper(model)
    image = torch.rand(1, 3, 96, 128) * 255
    with torch.no_grad():
        boxes, scores, points = wrapper(image)
        feats = model.extract_feat((image - wrapper.mean) / wrapper.std)
        outs = model.bbox_head(feats)
        head = model.bbox_head
        priors = torch.cat(
            head.prior_generator.grid_priors([o.shape[-2:] for o in outs[0]],
                                             device='cpu'))
        mine = head.flat_priors(outs[0])  # the traceable anchors
        cfg = dict(score_thr=-1.0, nms_pre=10**6)  # every anchor
        pred = head.predict_by_feat(
            *outs,
            batch_img_metas=[dict(img_shape=(96, 128))],
            cfg=cfg,
            with_nms=False)[0]
    torch.testing.assert_close(mine, priors)
    order = scores[0].argsort(descending=True)
    torch.testing.assert_close(scores[0][order], pred.scores)
    torch.testing.assert_close(boxes[0][order], pred.bboxes)
    torch.testing.assert_close(points[0][order], pred.keypoints)


def test_non_face_heads_are_refused():
    model = build()
    model.bbox_head = torch.nn.Conv2d(64, 4, 1)
    with pytest.raises(UnsupportedModelError, match='face head.*Conv2d'):
        FaceDetectorONNXWrapper(model)


def test_parameter_count_with_bn_folded(tmp_path):
    model = randomize(build())
    info = export_onnx(model, str(tmp_path / 'a.onnx'), shape=(64, 64))
    assert info['torch_params'] == 426608
    # every BatchNorm follows a bias-free conv: folding removes its weight
    # and bias (2C) and gives the conv a bias (C)
    bn_channels = sum(m.num_features for m in model.modules()
                      if isinstance(m, torch.nn.BatchNorm2d))
    assert info['folded_params'] == 426608 - bn_channels
    assert info['onnx_params'] == info['folded_params']
    assert folded_parameter_count(model,
                                  torch.zeros(1, 3, 64,
                                              64)) == info['folded_params']


def test_featherface_v2_ultra_parameter_count(tmp_path):
    config = osp.join(REPO, 'configs/featherface/ffv2_ultra_full_student.py')
    model = randomize(build(config))
    info = export_onnx(model, str(tmp_path / 'u.onnx'), shape=(64, 64))
    assert info['onnx_params'] == info['folded_params']
    assert info['torch_params'] == 244031


def test_deformable_convs_are_refused(tmp_path):
    from mmcv.ops import ModulatedDeformConv2d

    class Net(torch.nn.Module):

        def __init__(self):
            super().__init__()
            self.dcn = ModulatedDeformConv2d(4, 4, 3, padding=1)

    with pytest.raises(UnsupportedModelError, match=r'dcn \(Modulated'):
        check_exportable(Net())
    config = osp.join(REPO, 'configs/featherface/featherface_v1.py')
    if not osp.exists(config):
        return
    out = tmp_path / 'v1.onnx'
    proc = run_tool('tools/deploy/export_onnx.py',
                    config,
                    'none',
                    str(out),
                    check=False)
    assert proc.returncode != 0
    assert 'ModulatedDeformConv2d' in proc.stderr
    assert not out.exists()


def test_real_weights_parity(tmp_path):
    src = shared_file('weights', 'retinaface_mnet025_widerface.pth')
    model = build()
    model.load_state_dict(convert_retinaface(load_reference_state_dict(src)))
    out = str(tmp_path / 'rf.onnx')
    info = export_onnx(model, out, shape=(128, 160), dynamic=True)
    assert info['onnx_params'] == info['folded_params']
    import cv2
    img = cv2.imread(shared_file('images', 'astronaut.png'))
    image = torch.from_numpy(img).permute(2, 0, 1)[None].float()
    ref, res = torch_outputs(model, image), ort_outputs(out, image)
    assert_parity(ref, res)
    best = res[1][0].argmax()
    assert res[1][0, best] > 0.99
    left_eye, right_eye = res[2][0, best, :2]
    assert left_eye[0] < right_eye[0]


def test_benchmark_times_onnx(static_export, tmp_path):
    out, _ = static_export
    report = tmp_path / 'bench.json'
    proc = run_tool('tools/analysis/benchmark.py', CONFIG, '--shape', '160',
                    '192', '--threads', '1', '--warmup', '1', '--runs', '2',
                    '--onnx', out, '--json', str(report))
    assert 'median' in proc.stdout
    data = json.loads(report.read_text())
    assert data['runtime'] == 'onnxruntime' and data['threads'] == 1


def test_op_profile_of_an_export(static_export, tmp_path):
    import glob
    import os
    from ffmm.analysis import onnx_op_profile
    out, _ = static_export
    before = set(os.listdir(os.getcwd()))
    ops = onnx_op_profile(out, (160, 192), runs=2, threads=1, warmup=1)
    # the profiler's JSON is not left behind (its default is the cwd)
    assert set(os.listdir(os.getcwd())) == before
    assert not glob.glob(osp.join(osp.dirname(out), '*.json'))
    names = [op for op, _, _ in ops]
    assert any('Conv' in op for op in names), names
    assert abs(sum(share for _, _, share in ops) - 1.0) < 1e-6
    assert all(ms > 0 for _, ms, _ in ops)
    assert [ms for _, ms, _ in ops] == sorted(
        (ms for _, ms, _ in ops), reverse=True)
    report = tmp_path / 'bench.json'
    proc = run_tool('tools/analysis/benchmark.py', CONFIG, '--shape', '160',
                    '192', '--threads', '1', '--warmup', '1', '--runs', '2',
                    '--onnx', out, '--profile-ops', '--json', str(report))
    assert 'kernel time per op type' in proc.stdout
    assert json.loads(report.read_text())['ops'][0]['share'] > 0


def test_benchmark_onnx_of_a_distillation_config(monkeypatch):
    """An ablation config is a distiller: the export is post-processed with
    its student's test_cfg, and nothing (no teacher) is built."""
    import ffmm.deploy
    bench = load_script('tools', 'analysis', 'benchmark.py')
    seen = {}

    class FakeDetector:
        def __init__(self, onnx_file, test_cfg, threads):
            seen.update(test_cfg=test_cfg, threads=threads)

        def infer(self, x):
            return (x, )

        def postprocess(self, *outputs):
            return outputs

    def no_build(*args, **kwargs):
        raise AssertionError('the ONNX benchmark must not build the model')

    monkeypatch.setattr(ffmm.deploy, 'ONNXFaceDetector', FakeDetector)
    monkeypatch.setattr(ffmm.analysis.model_summary, 'build_from_config',
                        no_build)
    times = bench.onnx_latency(
        osp.join(REPO, 'configs/featherface/ablations/ffv2_ultra_all_off.py'),
        'unused.onnx', (32, 32), warmup=0, runs=2, threads=1)
    assert len(times) == 2 and seen['threads'] == 1
    assert 'score_thr' in seen['test_cfg']
