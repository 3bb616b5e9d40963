"""The three public-domain photographs that ship inside installed packages
(scikit-image's astronaut and camera, matplotlib's grace_hopper), one face
each: the demo's and the tests' images when no data set is around."""
import cv2
import numpy as np

PHOTO_NAMES = ('astronaut', 'camera', 'grace_hopper')


def to_bgr_uint8(img):
    """Any scikit-image picture (bool, float, gray, RGBA) as BGR uint8."""
    img = np.asarray(img)
    if img.dtype == bool:
        img = img.astype(np.uint8) * 255
    if img.dtype != np.uint8:
        img = np.clip(img * 255.0 if img.max() <= 1.0 else img, 0,
                      255).astype(np.uint8)
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        img = img[:, :, :3]
    return np.ascontiguousarray(img[:, :, ::-1])


def bundled_photos():
    """``{name: BGR uint8 image}`` for :data:`PHOTO_NAMES`."""
    import matplotlib.cbook
    import skimage.data

    path = matplotlib.cbook.get_sample_data('grace_hopper.jpg',
                                            asfileobj=False)
    grace = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if grace is None:
        raise FileNotFoundError(f'cannot read {path}')
    return dict(astronaut=to_bgr_uint8(skimage.data.astronaut()),
                camera=to_bgr_uint8(skimage.data.camera()),
                grace_hopper=grace)
