"""Single-image face detection returning plain Python results."""
import warnings

import numpy as np
from mmdet.apis import inference_detector, init_detector

from ..utils.checkpoint_load import load_checkpoint_strict


def init_face_detector(config, checkpoint=None, device='cpu',
                       cfg_options=None):
    """mmdet's ``init_detector`` with the checkpoint loaded strictly: a
    missing, truncated or foreign checkpoint raises ``CheckpointError``
    naming the file or the mismatching keys."""
    # init_detector resets the warning filters itself before warning
    # "checkpoint is None, use COCO classes": record its warnings instead
    # and pass on every other one.
    with warnings.catch_warnings(record=True) as caught:
        model = init_detector(config, None, device='cpu',
                              cfg_options=cfg_options)
    for w in caught:
        if 'checkpoint is None' not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename,
                                   w.lineno)
    if checkpoint is not None:
        load_checkpoint_strict(model, checkpoint)
    model.dataset_meta = dict(classes=('face', ), palette=[(0, 255, 0)])
    return model.to(device)


def detect_faces(model, image, score_thr=0.5):
    """Run the model's test pipeline (original size) on a path or BGR array.

    Returns ``(data_sample, result)`` where ``result`` is
    ``{"boxes": [[x1, y1, x2, y2, score], ...],
    "landmarks": [[[x, y] x 5], ...]}`` for faces above ``score_thr``.
    """
    sample = inference_detector(model, image)
    pred = sample.pred_instances
    pred = pred[pred.scores >= score_thr]
    boxes = np.concatenate(
        [pred.bboxes.cpu().numpy(), pred.scores.cpu().numpy()[:, None]], 1)
    result = dict(
        boxes=boxes.round(2).tolist(),
        landmarks=pred.keypoints.cpu().numpy().round(2).tolist()
        if 'keypoints' in pred else [])
    return sample, result
