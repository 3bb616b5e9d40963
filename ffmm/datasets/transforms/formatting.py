"""Packing face samples: mmdet's packer plus the landmark fields."""
from mmdet.datasets.transforms import PackDetInputs
from mmdet.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackFaceInputs(PackDetInputs):
    """Also packs ``gt_keypoints`` / ``gt_keypoints_visible`` into
    ``gt_instances.keypoints`` / ``keypoints_visible`` (ignored faces go to
    ``ignored_instances`` like their boxes)."""

    mapping_table = dict(
        PackDetInputs.mapping_table,
        gt_keypoints='keypoints',
        gt_keypoints_visible='keypoints_visible')
