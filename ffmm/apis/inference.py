"""Single-image face detection returning plain Python results."""
import numpy as np
from mmdet.apis import inference_detector, init_detector


def init_face_detector(config, checkpoint=None, device='cpu',
                       cfg_options=None):
    model = init_detector(config, checkpoint, device=device,
                          cfg_options=cfg_options)
    model.dataset_meta = dict(classes=('face', ), palette=[(0, 255, 0)])
    return model


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
