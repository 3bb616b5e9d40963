"""mmdet's local visualizer, plus the 5 facial landmarks of each face."""
import numpy as np
from mmdet.registry import VISUALIZERS
from mmdet.visualization import DetLocalVisualizer

# left eye, right eye, nose, left mouth corner, right mouth corner
LANDMARK_COLORS = [(255, 0, 0), (0, 255, 255), (255, 0, 255), (0, 255, 0),
                   (0, 0, 255)]


def _numpy(values):
    """Predictions hold tensors; datasets browsed by mmdet's
    browse_dataset.py hold numpy arrays."""
    if hasattr(values, 'cpu'):
        values = values.detach().cpu().numpy()
    return np.asarray(values)


@VISUALIZERS.register_module()
class FaceLocalVisualizer(DetLocalVisualizer):
    """Draws boxes (mmdet) and, when present, ``keypoints`` of instances.

    Ground-truth landmarks that are not visible are skipped; predictions
    above ``pred_score_thr`` are drawn because mmdet filters them first.
    """

    def _draw_instances(self, image, instances, classes, palette):
        image = super()._draw_instances(image, instances, classes, palette)
        if 'keypoints' not in instances or len(instances) == 0:
            return image
        points = _numpy(instances.keypoints).reshape(len(instances), -1, 2)
        if 'keypoints_visible' in instances:
            visible = _numpy(instances.keypoints_visible).reshape(
                points.shape[:2]) > 0
        else:
            visible = np.ones(points.shape[:2], bool)
        self.set_image(image)
        radius = max(2, int(min(image.shape[:2]) / 200))
        for k, color in enumerate(LANDMARK_COLORS[:points.shape[1]]):
            pts = points[visible[:, k], k]
            if len(pts):
                self.draw_circles(pts, np.full(len(pts), radius),
                                  edge_colors=color, face_colors=color)
        return self.get_image()
