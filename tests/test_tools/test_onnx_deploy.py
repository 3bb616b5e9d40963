"""Running an export in onnxruntime like the PyTorch model: dynamic V2-Ultra
exports, ONNXFaceDetector's padding and post-processing, the test-loop
model, int8 quantisation and the side-by-side latency table."""
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData

from ffmm.deploy import (ONNXFaceDetector, ONNXFaceDetectorModel,
                         export_onnx, image_to_input)
from mmdet.structures import DetDataSample

from ..conftest import REPO, run_tool
from .test_export_onnx import (assert_parity, build, ort_outputs, randomize,
                               torch_outputs)

pytest.importorskip('onnxruntime')

ULTRA = osp.join(REPO, 'configs/featherface/ffv2_ultra_full_student.py')
RETINA = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_widerface.py')

pytestmark = pytest.mark.usefixtures('one_thread')


@pytest.fixture(scope='module')
def ultra(tmp_path_factory):
    model = randomize(build(ULTRA))
    path = str(tmp_path_factory.mktemp('ultra') / 'ultra_dyn.onnx')
    export_onnx(model, path, shape=(64, 64), dynamic=True)
    return model, path


def test_dynamic_v2_ultra_export_at_other_sizes(ultra):
    # BiFPN's same-padding max pools used to freeze half their padding at
    # the export size: any other size failed or was wrong
    model, path = ultra
    for hw in [(96, 128), (160, 64)]:
        image = torch.rand(1, 3, *hw) * 255
        assert_parity(torch_outputs(model, image), ort_outputs(path, image))


def test_detector_pads_with_the_mean_and_matches_pytorch(ultra):
    model, path = ultra
    det = ONNXFaceDetector(path, test_cfg=dict(score_thr=0.0, nms_pre=50))
    image = np.random.default_rng(0).integers(0, 256, (70, 100, 3),
                                              dtype=np.uint8)
    # the export records the preprocessor's divisor (FeatherFace: 32)
    assert det.size_divisor == 32
    padded = det.pad(image_to_input(image))
    assert padded.shape == (1, 3, 96, 128)
    np.testing.assert_array_equal(padded[0, :, :70, :100],
                                  image.transpose(2, 0, 1))
    assert (padded[0, :, 70:, :] == np.array([104, 117, 123]).reshape(
        3, 1, 1)).all()
    dets, points = det(image)
    # PyTorch on the same padded image (normalised padding is zero)
    with torch.no_grad():
        x = (torch.from_numpy(padded) - torch.tensor(
            [104., 117., 123.]).view(1, 3, 1, 1))
        head = model.bbox_head
        ref = head.predict_by_feat(
            *head(model.extract_feat(x)),
            batch_img_metas=[dict(img_shape=(96, 128))],
            cfg=dict(det.test_cfg), rescale=False)[0]
    assert len(dets) == len(ref.scores) > 0
    np.testing.assert_allclose(dets[:, 4], ref.scores.numpy(), atol=1e-4)
    np.testing.assert_allclose(dets[:, :4], ref.bboxes.numpy(), atol=1e-2)
    np.testing.assert_allclose(points, ref.keypoints.numpy(), atol=1e-2)


def test_retinaface_export_is_not_padded(tmp_path):
    path = str(tmp_path / 'rf_dyn.onnx')
    export_onnx(randomize(build(RETINA)), path, shape=(64, 64), dynamic=True)
    det = ONNXFaceDetector(path)
    assert det.size_divisor == 1
    x = np.zeros((1, 3, 70, 100), np.float32)
    assert det.pad(x) is x


def test_test_loop_model_rescales_to_the_original_image(ultra):
    _, path = ultra
    model = ONNXFaceDetectorModel(path, test_cfg=dict(score_thr=0.0))
    image = torch.randint(0, 256, (3, 64, 96), dtype=torch.uint8)
    sample = DetDataSample(metainfo=dict(img_shape=(64, 96),
                                         scale_factor=(0.5, 0.5)))
    data = model.data_preprocessor(
        dict(inputs=[image], data_samples=[sample]), False)
    out = model(**data, mode='predict')[0].pred_instances
    assert isinstance(out, InstanceData) and len(out) > 0
    dets, points = model.detector(image.permute(1, 2, 0).numpy())
    torch.testing.assert_close(out.bboxes, torch.from_numpy(dets[:, :4]) * 2)
    torch.testing.assert_close(out.keypoints, torch.from_numpy(points) * 2)
    with pytest.raises(RuntimeError, match='only predicts'):
        model(**data, mode='loss')


def test_non_ffmm_onnx_is_refused(tmp_path):
    import onnx
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node('Identity', ['x'], ['y'])], 'g',
        [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 3, 8, 8])])
    path = str(tmp_path / 'other.onnx')
    onnx.save(helper.make_model(graph), path)
    with pytest.raises(ValueError, match='not an ffmm export'):
        ONNXFaceDetector(path)


def test_int8_quantisation(ultra, tmp_path):
    import onnx
    _, path = ultra
    rng = np.random.default_rng(0)
    for i in range(2):
        cv2.imwrite(str(tmp_path / f'{i}.jpg'),
                    rng.integers(0, 256, (64, 96, 3), dtype=np.uint8))
    (tmp_path / 'split.txt').write_text('0.jpg\n1.jpg\n')
    out = str(tmp_path / 'int8.onnx')
    run_tool('tools/deploy/quantize_onnx.py', path, out, '--num-images', '2',
             '--split-file', str(tmp_path / 'split.txt'), '--image-root',
             str(tmp_path), '--exclude', '/bbox_head/')
    m = onnx.load(out)
    convs = {n.name for n in m.graph.node if n.op_type == 'Conv'}
    quantised = {n.input[0] for n in m.graph.node
                 if n.op_type == 'DequantizeLinear'}
    assert quantised, 'no QDQ pairs'
    props = {p.key: p.value for p in m.metadata_props}
    assert props['mean'] == '[104.0, 117.0, 123.0]'
    assert 'int8 QDQ' in props['quantization']
    assert any('/bbox_head/' in c for c in convs)
    # head convs stay float: none of their weights is dequantised
    inits = {i.name for i in m.graph.initializer}
    for node in m.graph.node:
        if node.op_type == 'Conv' and '/bbox_head/' in node.name:
            assert node.input[1] in inits
    dets, _ = ONNXFaceDetector(out, dict(score_thr=0.0))(
        rng.integers(0, 256, (64, 64, 3), dtype=np.uint8))
    assert len(dets) and np.isfinite(dets).all()
    # the float model is never overwritten
    proc = run_tool('tools/deploy/quantize_onnx.py', path, path,
                    '--num-images', '1', '--split-file',
                    str(tmp_path / 'split.txt'), '--image-root',
                    str(tmp_path), check=False)
    assert proc.returncode != 0 and 'overwrite' in proc.stderr


def test_latency_table(ultra, tmp_path):
    import json
    _, dyn = ultra
    static = str(tmp_path / 'rf_static.onnx')
    export_onnx(randomize(build(RETINA)), static, shape=(64, 64))
    report = tmp_path / 'lat.json'
    proc = run_tool('tools/analysis/onnx_latency.py', dyn, static,
                    '--names', 'ultra', 'retina', '--shapes', '64x64',
                    '96x64', '--rounds', '2', '--repeats', '2', '--warmup',
                    '1', '--json', str(report))
    rows = json.loads(report.read_text())
    by = {(r['model'], tuple(r['shape'])): r for r in rows}
    assert by[('ultra', (64, 64))]['ratio'] == 1.0
    assert by[('retina', (64, 64))]['ratio'] > 0
    assert by[('ultra', (64, 64))]['params'] < by[('retina',
                                                   (64, 64))]['params']
    # a static graph is not timed at another size
    assert 'skipped' in by[('retina', (96, 64))]
    assert '| ultra |' in proc.stdout
    run_tool('tools/analysis/onnx_latency.py', dyn, '--shapes', '64x64',
             '--rounds', '1', '--repeats', '1', '--warmup', '0',
             '--end-to-end')
