"""Packing face samples: mmdet's packer plus the landmark fields."""
from mmdet.datasets.transforms import PackDetInputs
from mmdet.registry import TRANSFORMS

from ...structures import FaceKeypoints


@TRANSFORMS.register_module()
class PackFaceInputs(PackDetInputs):
    """Also packs ``gt_keypoints`` (a ``FaceKeypoints``) into the tensors the
    heads read: ``gt_instances.keypoints`` (N, K, 2) and
    ``gt_instances.keypoints_visible`` (N, K) float; ignored faces go to
    ``ignored_instances`` like their boxes."""

    mapping_table = dict(
        PackDetInputs.mapping_table,
        gt_keypoints='keypoints',
        gt_keypoints_visible='keypoints_visible')

    def transform(self, results):
        keypoints = results.get('gt_keypoints')
        if isinstance(keypoints, FaceKeypoints):
            # mmdet's packer indexes and converts plain arrays per key
            results = dict(results,
                           gt_keypoints=keypoints.numpy(),
                           gt_keypoints_visible=keypoints.visible_numpy())
        return super().transform(results)
