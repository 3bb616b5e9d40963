"""How far a model's landmarks lie from a reference model's on the same
images. WIDER FACE val has no landmarks, so a student that learned them
from its teacher is checked against the teacher (README: the shipped
students against FeatherFace V1 on the bundled photos)."""
import numpy as np


def top_face_landmarks(model, image, score_thr=0.5):
    """The (5, 2) landmarks of the highest-scoring face above
    ``score_thr``, or None when the model finds none."""
    from ffmm.apis import detect_faces
    found = detect_faces(model, image, score_thr)[1]
    if not found['boxes'] or not found['landmarks']:
        return None
    best = int(np.argmax([box[4] for box in found['boxes']]))
    return np.asarray(found['landmarks'][best], dtype=np.float64)


def landmark_gaps(model, reference, images, score_thr=0.5):
    """``{name: gap}`` for ``images`` (``{name: BGR array or path}``): the
    largest coordinate difference in pixels between the two models'
    landmarks of their top face; NaN where either finds no face."""
    gaps = {}
    for name, image in images.items():
        ours = top_face_landmarks(model, image, score_thr)
        theirs = top_face_landmarks(reference, image, score_thr)
        gaps[name] = (float('nan') if ours is None or theirs is None else
                      float(np.abs(ours - theirs).max()))
    return gaps
