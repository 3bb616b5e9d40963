"""Loading face annotations: boxes, labels and 5-point landmarks."""
import numpy as np
from mmdet.datasets.transforms import LoadAnnotations
from mmdet.registry import TRANSFORMS

from ...structures import FaceKeypoints
from ..widerface import NUM_POINTS


@TRANSFORMS.register_module()
class LoadFaceAnnotations(LoadAnnotations):
    """mmdet's ``LoadAnnotations`` plus ``gt_keypoints``: a ``FaceKeypoints``
    of the instances' ``keypoints`` (K, 2) and ``keypoints_visible`` (K);
    an instance without them gets K absent landmarks."""

    def __init__(self, with_keypoints=True, num_points=NUM_POINTS, **kwargs):
        kwargs.setdefault('with_bbox', True)
        kwargs.setdefault('with_label', True)
        super().__init__(**kwargs)
        self.with_keypoints = with_keypoints
        self.num_points = num_points

    def transform(self, results):
        results = super().transform(results)
        if self.with_keypoints:
            instances = results.get('instances', [])
            k = self.num_points
            results['gt_keypoints'] = FaceKeypoints(
                np.array(
                    [i.get('keypoints', np.zeros((k, 2))) for i in instances],
                    np.float32).reshape(-1, k, 2),
                np.array([
                    i.get('keypoints_visible', np.zeros(k)) for i in instances
                ], np.float32).reshape(-1, k))
        return results
