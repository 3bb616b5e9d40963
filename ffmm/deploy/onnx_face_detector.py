"""Run an exported face detector (``tools/deploy/export_onnx.py``, float32
or int8) in onnxruntime, with the post-processing of the PyTorch model.

The exported graph returns every anchor's decoded box, score and landmarks;
this class adds what the graph leaves to the application, in the order of
``FaceHeadMixin.predict_by_feat``: score threshold, ``nms_pre`` best scores,
``batched_nms``, ``max_per_img``, so that a WIDER FACE evaluation of the
ONNX file is comparable with the PyTorch one.

A graph exported with ``--dynamic`` is fed what the PyTorch model's data
preprocessor would give it: the image padded at the bottom and right to a
multiple of its ``pad_size_divisor`` (recorded by the export; 32 for the
FeatherFace models, whose BiFPN max-pool padding is fixed at export) with
the mean colour, i.e. zeros after normalisation.
"""
import ast
import os

import numpy as np
import torch

from ..models.dense_heads.face_head_mixin import DEFAULT_MAX_PER_IMG

DEFAULT_TEST_CFG = dict(score_thr=0.02, nms_pre=-1,
                        nms=dict(type='nms', iou_threshold=0.4),
                        max_per_img=DEFAULT_MAX_PER_IMG)
OUTPUT_NAMES = ('boxes', 'scores', 'landmarks')
# exports made before the divisor was recorded: FeatherFace's
LEGACY_SIZE_DIVISOR = 32


def ort_session(onnx_file, threads=1, profile_prefix=None):
    """An onnxruntime CPU session on ``threads`` intra-op threads (0: all
    cores), full graph optimisation; with ``profile_prefix``, onnxruntime's
    profiler writes there."""
    import onnxruntime as ort
    if not os.path.isfile(onnx_file):
        raise FileNotFoundError(f'ONNX file {onnx_file} does not exist')
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or os.cpu_count()
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if profile_prefix:
        opts.enable_profiling = True
        opts.profile_file_prefix = profile_prefix
    return ort.InferenceSession(onnx_file, opts,
                                providers=['CPUExecutionProvider'])


def is_ffmm_export(session):
    """Whether the session's outputs are those of an ffmm export."""
    return tuple(o.name for o in session.get_outputs()) == OUTPUT_NAMES


def image_to_input(image):
    """HxWx3 uint8 BGR (cv2.imread) -> 1x3xHxW float32, as the export
    expects (raw 0..255 BGR; the graph normalises)."""
    return np.ascontiguousarray(
        image.transpose(2, 0, 1)[None].astype(np.float32))


class ONNXFaceDetector:
    """An ffmm ONNX export plus its post-processing.

    Args:
        onnx_file (str): exported with ``tools/deploy/export_onnx.py``
            (``--dynamic`` to run images of any size).
        test_cfg (dict, optional): ``score_thr``, ``nms_pre``, ``nms``,
            ``max_per_img`` as in the model config's ``test_cfg``.
        threads (int): onnxruntime intra-op threads (0: all cores).
    """

    def __init__(self, onnx_file, test_cfg=None, threads=1):
        self.onnx_file = onnx_file
        self.session = ort_session(onnx_file, threads)
        if not is_ffmm_export(self.session):
            names = [o.name for o in self.session.get_outputs()]
            raise ValueError(
                f'{onnx_file} is not an ffmm export: its outputs are '
                f'{names}, expected {list(OUTPUT_NAMES)}')
        self.input_name = self.session.get_inputs()[0].name
        self.test_cfg = dict(DEFAULT_TEST_CFG, **(test_cfg or {}))
        meta = self.session.get_modelmeta().custom_metadata_map
        self.dynamic = meta.get('dynamic') == 'True'
        self.size_divisor = int(meta.get('pad_size_divisor',
                                         LEGACY_SIZE_DIVISOR))
        self.mean = np.asarray(ast.literal_eval(meta.get('mean', '[0, 0, 0]')),
                               np.float32).reshape(1, 3, 1, 1)

    def pad(self, inputs):
        """Pad a dynamic graph's 1x3xHxW input to multiples of its
        ``pad_size_divisor`` with the mean colour (a static graph's input
        is used as it is)."""
        h, w = inputs.shape[-2:]
        ph, pw = -h % self.size_divisor, -w % self.size_divisor
        if not self.dynamic or not (ph or pw):
            return inputs
        out = np.empty(inputs.shape[:2] + (h + ph, w + pw), np.float32)
        out[...] = self.mean
        out[..., :h, :w] = inputs
        return out

    def infer(self, inputs):
        """Raw graph outputs (boxes, scores, landmarks) of a 1x3xHxW
        float32 array (padded, see ``pad``)."""
        return self.session.run(None, {self.input_name: self.pad(inputs)})

    @torch.no_grad()
    def postprocess(self, boxes, scores, landmarks):
        """Detections of one image from its raw outputs: (N, 5) x1 y1 x2 y2
        score, best first, and (N, 5, 2) landmarks."""
        from mmcv.ops import batched_nms
        cfg = self.test_cfg
        boxes, scores, landmarks = (torch.from_numpy(np.asarray(a[0]))
                                    for a in (boxes, scores, landmarks))
        keep = scores > cfg['score_thr']
        boxes, scores, landmarks = boxes[keep], scores[keep], landmarks[keep]
        nms_pre = cfg.get('nms_pre', -1)
        if 0 < nms_pre < len(scores):
            scores, idx = scores.topk(nms_pre)
            boxes, landmarks = boxes[idx], landmarks[idx]
        if not len(scores):
            return np.zeros((0, 5), np.float32), np.zeros((0, 5, 2),
                                                          np.float32)
        dets, keep = batched_nms(boxes, scores,
                                 torch.zeros_like(scores, dtype=torch.long),
                                 dict(cfg['nms']))
        n = cfg.get('max_per_img', DEFAULT_MAX_PER_IMG)
        return dets[:n].numpy(), landmarks[keep[:n]].numpy()

    def __call__(self, image):
        """Detections of an HxWx3 uint8 BGR image (see ``postprocess``)."""
        return self.postprocess(*self.infer(image_to_input(image)))
