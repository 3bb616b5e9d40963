"""WIDER FACE AP as an mmengine metric (official protocol, see
``ffmm.evaluation.functional.widerface_ap``)."""
import os.path as osp
from typing import Optional, Sequence

import numpy as np
from mmdet.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from ..functional import (WIDER_SETTINGS, evaluate_face_ap,
                          evaluate_widerface, load_widerface_gt, read_subset,
                          restrict_gt, write_widerface_preds)
from ..functional.ap_protocol import xyxy_to_xywh


def _numpy(x, cols):
    """Tensor / array / missing -> (N, cols) float64 array."""
    if x is None:
        return np.zeros((0, cols))
    if hasattr(x, 'detach'):
        x = x.detach().cpu().numpy()
    return np.asarray(x, np.float64).reshape(-1, cols)


@METRICS.register_module()
class WIDERFaceMetric(BaseMetric):
    """WIDER FACE average precision.

    Args:
        gt_dir (str, optional): folder with the official
            ``wider_{face,easy,medium,hard}_val.mat``. When given, reports
            ``easy`` / ``medium`` / ``hard`` AP against them (ground-truth
            images that were not run count as no detections); otherwise the
            ``all`` AP against the data samples' own ground truth.
        subset (str, optional): with ``gt_dir``, a split file of
            ``event/name.jpg`` lines: the official protocol on those images
            only (other images' ground truth dropped, their predictions
            ignored with a warning).
        dump_dir (str, optional): also write the predictions there in the
            WIDER FACE layout (``<event>/<image>.txt``, ``x y w h score``).
        iou_thr (float): IoU for a detection to find a face.
    """
    default_prefix: Optional[str] = 'widerface'

    def __init__(self,
                 gt_dir: Optional[str] = None,
                 subset: Optional[str] = None,
                 dump_dir: Optional[str] = None,
                 iou_thr: float = 0.5,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if subset is not None and gt_dir is None:
            raise ValueError('WIDERFaceMetric: subset needs gt_dir (the '
                             'official .mat ground truth)')
        self.gt_dir = gt_dir
        self.subset = subset
        self.dump_dir = dump_dir
        self.iou_thr = iou_thr
        self._gt = None
        self._subset = None

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            pred = sample['pred_instances']
            scores = _numpy(pred['scores'], 1)[:, 0]
            # The protocol matches in file order, which must be best first.
            order = np.argsort(-scores, kind='stable')
            dets = np.concatenate(
                [xyxy_to_xywh(_numpy(pred['bboxes'], 4)), scores[:, None]],
                1)[order]
            # Ground truth is in network-input coordinates.
            w_scale, h_scale = np.asarray(
                sample.get('scale_factor', (1.0, 1.0)), np.float64)[:2]
            scale = np.array([w_scale, h_scale, w_scale, h_scale])
            faces, ignored = (
                _numpy(sample.get(key, {}).get('bboxes'), 4) / scale
                for key in ('gt_instances', 'ignored_instances'))
            path = sample['img_path']
            self.results.append(
                dict(
                    event=osp.basename(osp.dirname(path)),
                    name=osp.splitext(osp.basename(path))[0],
                    dets=dets,
                    gt=xyxy_to_xywh(np.concatenate([faces, ignored])),
                    ignore=np.arange(len(faces) + len(ignored)) >= len(faces)))

    def compute_metrics(self, results: list) -> dict:
        logger = MMLogger.get_current_instance()
        preds = {}
        for r in results:
            preds.setdefault(r['event'], {})[r['name']] = r['dets']
        if self.dump_dir is not None:
            write_widerface_preds(self.dump_dir, preds)
            logger.info(f'WIDER FACE predictions written to {self.dump_dir}')
        if self.gt_dir is not None:
            if self._gt is None:
                self._gt = load_widerface_gt(self.gt_dir)
                if self.subset is not None:
                    self._subset = read_subset(self.subset)
                    self._gt = restrict_gt(self._gt, self._subset,
                                           source=self.subset)
            curves = evaluate_widerface(
                preds, self._gt, self.iou_thr,
                subset=self._subset if self.subset else None)
            settings = WIDER_SETTINGS
        else:
            curves = {
                'all':
                evaluate_face_ap([r['dets'] for r in results],
                                 [r['gt'] for r in results],
                                 [r['ignore'] for r in results], self.iou_thr)
            }
            settings = ('all', )
        rows = [f'{"setting":<8} {"AP":>8} {"faces":>7}']
        rows += [
            f'{s:<8} {curves[s].ap:>8.4f} {curves[s].num_faces:>7d}'
            for s in settings
        ]
        logger.info('WIDER FACE evaluation (%d images):\n%s' %
                    (len(results), '\n'.join(rows)))
        return {s: curves[s].ap for s in settings}
