"""Keep the landmarks in ``mmdet.apis.DetInferencer``'s results.

``DetInferencer.pred2dict`` builds the returned dict and the
``preds/*.json`` files from labels, scores, boxes and masks only, so a face
model's 5-point landmarks were dropped. ``DetInferencer`` is not built from
a registry, so ffmm wraps that one method, once, in
``ffmm.utils.register_all_modules`` (a face config's ``custom_imports``
imports ``ffmm.plugin``, which calls it, before the inferencer predicts):
results with ``pred_instances.keypoints`` gain ``keypoints``
(N x 5 x [x, y]), in the returned dict and in the JSON files.
"""
import functools
import os.path as osp

_PATCHED = '_ffmm_landmarks'


def _json_path(inferencer, data_sample, pred_out_dir):
    """The file name mmdet 3.3's ``pred2dict`` writes."""
    if 'img_path' in data_sample:
        stem = osp.splitext(osp.basename(data_sample.img_path))[0]
    else:
        stem = str(inferencer.num_predicted_imgs)
        inferencer.num_predicted_imgs += 1
    return osp.join(pred_out_dir, 'preds', stem + '.json')


def enable_inferencer_landmarks():
    """Wrap ``DetInferencer.pred2dict`` (idempotent)."""
    from mmdet.apis import DetInferencer
    original = DetInferencer.pred2dict
    if getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def pred2dict(self, data_sample, pred_out_dir=''):
        instances = data_sample.get('pred_instances')
        if instances is None or 'keypoints' not in instances:
            return original(self, data_sample, pred_out_dir)
        result = original(self, data_sample, '')  # written below instead
        points = instances.keypoints
        if hasattr(points, 'cpu'):
            points = points.detach().cpu().numpy()
        result['keypoints'] = points.tolist()
        if pred_out_dir:
            import mmengine
            mmengine.dump(result,
                          _json_path(self, data_sample, pred_out_dir))
        return result

    setattr(pred2dict, _PATCHED, True)
    DetInferencer.pred2dict = pred2dict
