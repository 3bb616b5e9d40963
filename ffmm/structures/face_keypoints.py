"""Facial landmarks as a structure that moves like mmdet's boxes."""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
from torch import Tensor

# Order of (left eye, right eye, nose, left mouth corner, right mouth corner)
# after a horizontal flip: the eyes and the mouth corners swap sides.
FACE_FLIP_INDICES = (1, 0, 2, 4, 3)

IndexType = Union[int, slice, list, np.ndarray, Tensor]


class FaceKeypoints:
    """K landmarks per face for N faces, with their visibility.

    Holds ``tensor`` (N, K, 2) x/y points and ``visible`` (N, K) float 0/1
    (0 marks a landmark that is absent, e.g. WIDER val faces or the ``-1``
    points of RetinaFace's labels, or hidden by an augmentation; it weighs
    the landmark out of the loss). The in-place methods ``flip_``,
    ``rescale_``, ``translate_`` and ``project_`` move the points the way
    mmdet's ``HorizontalBoxes`` moves boxes, so a transform calls the same
    method on ``gt_bboxes`` and ``gt_keypoints``; ``clip_`` and ``hide_``
    change visibility only. Indexing selects faces, keeping points and
    visibility together.

    Absent points keep their coordinates (usually 0) and are moved like the
    others; only ``visible`` says whether they count.

    Args:
        keypoints (Tensor | np.ndarray | Sequence): (N, K, 2) points.
        visible (Tensor | np.ndarray | Sequence, optional): (N, K)
            visibility; all visible when None (e.g. predictions).
        dtype (torch.dtype, optional): of the points; float32 unless
            ``keypoints`` is already a floating tensor.
        device (str | torch.device, optional): where to keep them.
        clone (bool): copy tensors given as input (default True).
    """

    def __init__(self,
                 keypoints,
                 visible=None,
                 dtype: Optional[torch.dtype] = None,
                 device=None,
                 clone: bool = True):
        if dtype is None:
            floating = isinstance(keypoints, Tensor) and \
                keypoints.is_floating_point()
            dtype = keypoints.dtype if floating else torch.float32
        points = torch.as_tensor(keypoints, dtype=dtype, device=device)
        if points.dim() != 3 or points.size(-1) != 2:
            raise ValueError('keypoints must have shape (N, K, 2), got '
                             f'{tuple(points.shape)}')
        if visible is None:
            visible = points.new_ones(points.shape[:2])
        visible = torch.as_tensor(visible,
                                  dtype=points.dtype,
                                  device=points.device)
        if visible.shape != points.shape[:2]:
            raise ValueError('visible must have shape '
                             f'{tuple(points.shape[:2])}, got '
                             f'{tuple(visible.shape)}')
        if clone:
            points, visible = points.clone(), visible.clone()
        self.tensor = points
        self.visible = visible

    # ------------------------------------------------------------ creation
    @classmethod
    def absent(cls,
               num: int,
               num_points: int = len(FACE_FLIP_INDICES),
               **kwargs) -> 'FaceKeypoints':
        """``num`` faces without landmarks (points 0, none visible)."""
        return cls(torch.zeros(num, num_points, 2),
                   torch.zeros(num, num_points), **kwargs)

    @classmethod
    def cat(cls, keypoints_list: Sequence['FaceKeypoints']) -> 'FaceKeypoints':
        """Faces of every item, in order (same number of points each)."""
        assert len(keypoints_list) > 0, 'nothing to concatenate'
        assert all(isinstance(k, cls) for k in keypoints_list)
        return cls(torch.cat([k.tensor for k in keypoints_list]),
                   torch.cat([k.visible for k in keypoints_list]),
                   clone=False)

    # ----------------------------------------------------- shape and access
    @property
    def num_points(self) -> int:
        return self.tensor.size(1)

    @property
    def device(self) -> torch.device:
        return self.tensor.device

    @property
    def dtype(self) -> torch.dtype:
        return self.tensor.dtype

    def __len__(self) -> int:
        return self.tensor.size(0)

    def __getitem__(self, index: IndexType) -> 'FaceKeypoints':
        """The selected faces (the face axis only; an int keeps it)."""
        if isinstance(index, (np.ndarray, list)):
            index = np.asarray(index)
            if index.dtype != bool:  # an empty list would be float
                index = index.astype(np.int64)
            index = torch.as_tensor(index, device=self.device)
        if isinstance(index, (int, np.integer)):
            index = int(index)
            index = slice(index, index + 1 if index != -1 else None)
        if isinstance(index, Tensor) and index.dtype == torch.bool:
            assert index.dim() == 1, 'a boolean index selects faces'
        return type(self)(self.tensor[index], self.visible[index], clone=False)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_faces={len(self)}, '
                f'num_points={self.num_points}, tensor={self.tensor!r}, '
                f'visible={self.visible!r})')

    def clone(self) -> 'FaceKeypoints':
        return type(self)(self.tensor, self.visible)

    def to(self, *args, **kwargs) -> 'FaceKeypoints':
        return type(self)(self.tensor.to(*args, **kwargs),
                          self.visible.to(*args, **kwargs),
                          clone=False)

    def numpy(self) -> np.ndarray:
        """The (N, K, 2) points as a numpy array (like ``BaseBoxes``)."""
        return self.tensor.detach().cpu().numpy()

    def visible_numpy(self) -> np.ndarray:
        """The (N, K) visibility as a numpy array."""
        return self.visible.detach().cpu().numpy()

    # ------------------------------------------------------------ geometry
    def flip_(self,
              img_shape: Tuple[int, int],
              direction: str = 'horizontal',
              flip_indices: Sequence[int] = FACE_FLIP_INDICES) -> None:
        """Mirror the points in an image of ``img_shape`` (h, w) and reorder
        them with ``flip_indices`` (the person's left eye becomes the
        image-right one). Only horizontal flips keep face landmarks
        meaningful, so other directions are refused."""
        if direction != 'horizontal':
            raise ValueError('face landmarks flip horizontally only, got '
                             f'{direction!r}')
        if len(flip_indices) != self.num_points:
            raise ValueError(f'{len(flip_indices)} flip indices for '
                             f'{self.num_points} points')
        order = list(flip_indices)
        points = self.tensor.clone()
        points[..., 0] = img_shape[1] - points[..., 0]
        self.tensor = points[:, order]
        self.visible = self.visible[:, order]

    def rescale_(self, scale_factor: Tuple[float, float]) -> None:
        """Scale x by ``scale_factor[0]`` and y by ``scale_factor[1]``."""
        assert len(scale_factor) == 2
        self.tensor = self.tensor * self.tensor.new_tensor(scale_factor)

    def translate_(self, distances: Sequence[float]) -> None:
        """Shift every point by (dx, dy)."""
        assert len(distances) == 2
        self.tensor = self.tensor + self.tensor.new_tensor(distances)

    def project_(self, homography_matrix: Union[Tensor, np.ndarray]) -> None:
        """Apply a 3 x 3 homography (affine warps included) to the points."""
        matrix = torch.as_tensor(homography_matrix).to(self.tensor)
        ones = self.tensor.new_ones(self.tensor.shape[:2] + (1, ))
        points = torch.cat([self.tensor, ones], dim=-1) @ matrix.t()
        self.tensor = points[..., :2] / points[..., 2:3]

    def is_inside(self, region: Sequence[float]) -> Tensor:
        """(N, K) bool: the point lies in ``region`` (x1, y1, x2, y2), left
        and top edges included, right and bottom excluded (pixel cells)."""
        x1, y1, x2, y2 = region
        x, y = self.tensor[..., 0], self.tensor[..., 1]
        return (x >= x1) & (x < x2) & (y >= y1) & (y < y2)

    def hide_(self, mask: Union[Tensor, np.ndarray]) -> None:
        """Mark the (N, K) ``mask`` points invisible; they are not moved."""
        mask = torch.as_tensor(mask, dtype=torch.bool, device=self.device)
        self.visible = self.visible.masked_fill(mask, 0)

    def clip_(self, img_shape: Tuple[int, int]) -> None:
        """Hide the points outside an image of ``img_shape`` (h, w).

        Unlike boxes, points are not moved to the border: a landmark moved
        there would be a wrong target, so it is dropped from the loss.
        """
        h, w = img_shape[:2]
        x, y = self.tensor[..., 0], self.tensor[..., 1]
        self.hide_((x < 0) | (x > w) | (y < 0) | (y > h))
