"""An ONNX export as an mmengine model, so that the usual test loop,
dataloaders and ``WIDERFaceMetric`` evaluate it exactly like the PyTorch
model (MMDeploy's backend-model idea, for ffmm's own exports)."""
import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData

from mmdet.registry import MODELS

from .onnx_face_detector import ONNXFaceDetector

# the export normalises inside the graph: the loop must give raw BGR 0..255
RAW_BGR_PREPROCESSOR = dict(type='DetDataPreprocessor', bgr_to_rgb=False,
                            pad_size_divisor=1)


@MODELS.register_module()
class ONNXFaceDetectorModel(BaseModel):
    """Predict-only model running ``onnx_file`` in onnxruntime.

    Args:
        onnx_file (str): an ffmm export (``--dynamic`` for images of any
            size), float32 or quantised.
        test_cfg (dict, optional): post-processing, as the PyTorch
            model's ``test_cfg``.
        threads (int): onnxruntime intra-op threads (0: all cores).
        data_preprocessor (dict, optional): must not normalise (default:
            raw BGR, no padding).
    """

    def __init__(self, onnx_file, test_cfg=None, threads=1,
                 data_preprocessor=None, init_cfg=None):
        super().__init__(
            data_preprocessor=data_preprocessor or RAW_BGR_PREPROCESSOR,
            init_cfg=init_cfg)
        self.detector = ONNXFaceDetector(onnx_file, test_cfg, threads)

    def forward(self, inputs, data_samples=None, mode='predict'):
        if mode != 'predict':
            raise RuntimeError(f'{type(self).__name__} only predicts (got '
                               f'mode={mode!r}): train the PyTorch model')
        for image, sample in zip(inputs, data_samples):
            h, w = sample.img_shape[:2]  # without batch padding
            x = image[None, :, :h, :w].float().contiguous().numpy()
            dets, points = self.detector.postprocess(
                *self.detector.infer(x))
            dets, points = torch.from_numpy(dets), torch.from_numpy(points)
            # back to the original image, as the PyTorch model's rescale
            sx, sy = sample.metainfo.get('scale_factor', (1.0, 1.0))[:2]
            pred = InstanceData(
                bboxes=dets[:, :4] / dets.new_tensor([sx, sy, sx, sy]),
                scores=dets[:, 4],
                labels=torch.zeros(len(dets), dtype=torch.long),
                keypoints=points / points.new_tensor([sx, sy]))
            sample.pred_instances = pred
        return data_samples
