"""SSD-style encoding of facial landmarks relative to an anchor box."""
from mmdet.registry import TASK_UTILS


@TASK_UTILS.register_module()
class LandmarkCoder:
    """Encode K landmark points as offsets from the anchor centre.

    ``delta = (point - anchor_centre) / (variance * anchor_wh)``, the RetinaFace
    encoding (variance 0.1), so box and landmark deltas live on one scale.

    Args:
        num_points (int): landmarks per face (5 for eyes, nose, mouth corners).
        variance (float): the scale variance of the centre offset.
    """

    def __init__(self, num_points=5, variance=0.1):
        self.num_points = num_points
        self.variance = variance

    @property
    def encode_size(self):
        return 2 * self.num_points

    def _centre_and_scale(self, priors):
        centre = (priors[:, :2] + priors[:, 2:]) * 0.5
        scale = (priors[:, 2:] - priors[:, :2]) * self.variance
        return centre[:, None, :], scale[:, None, :]

    def encode(self, priors, points):
        """priors (N, 4) xyxy, points (N, K, 2) -> deltas (N, 2K)."""
        centre, scale = self._centre_and_scale(priors)
        return ((points - centre) / scale).flatten(1)

    def decode(self, priors, deltas):
        """priors (N, 4) xyxy, deltas (N, 2K) -> points (N, K, 2)."""
        centre, scale = self._centre_and_scale(priors)
        return deltas.view(-1, self.num_points, 2) * scale + centre
