"""Evaluating a split of WIDER FACE val: the official protocol on the
ground truth restricted to the split's images (e.g. ``split_dev.txt``)."""
import os.path as osp
import warnings
from typing import Dict

from .widerface_io import GroundTruth, Predictions

# subset[event] = image names (no extension) of a split of the val set
Subset = Dict[str, set]


def read_subset(path: str) -> Subset:
    """Read a split file: one ``event/name.jpg`` line per image (the format
    of ``split_*.txt``); blank lines are skipped, a repeated image is
    counted once with a warning."""
    subset, repeated = {}, 0
    with open(path, encoding='utf-8-sig') as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            parts = line.replace('\\', '/').strip('/').split('/')
            if len(parts) != 2 or not all(parts):
                raise ValueError(f'{path}:{lineno}: expected event/name.jpg, '
                                 f'got {line!r}')
            names = subset.setdefault(parts[0], set())
            name = osp.splitext(parts[1])[0]
            repeated += name in names
            names.add(name)
    if not subset:
        raise ValueError(f'{path} lists no images')
    if repeated:
        warnings.warn(f'{path}: {repeated} image(s) listed more than once '
                      'are evaluated once')
    return subset


def restrict_gt(gt: GroundTruth, subset: Subset,
                source: str = 'subset') -> GroundTruth:
    """The ground truth of the subset's images only (keep lists intact);
    an image the ground truth does not have is an error."""
    unknown = [f'{e}/{n}' for e, names in subset.items()
               for n in sorted(names) if n not in gt.get(e, {})]
    if unknown:
        more = f' (+{len(unknown) - 5} more)' if len(unknown) > 5 else ''
        raise ValueError(f'{source}: {len(unknown)} image(s) are not in the '
                         'WIDER FACE ground truth: ' +
                         ', '.join(unknown[:5]) + more)
    return {e: {n: gt[e][n] for n in sorted(names)}
            for e, names in subset.items()}


def drop_outside(preds: Predictions, subset: Subset) -> Predictions:
    """Predictions of the subset's images; the others are ignored with a
    warning (they would otherwise enter the score normalisation)."""
    kept = {e: {n: d for n, d in images.items() if n in subset.get(e, ())}
            for e, images in preds.items()}
    outside = sum(len(v) for v in preds.values()) - sum(
        len(v) for v in kept.values())
    if outside:
        warnings.warn(f'{outside} predicted image(s) are outside the subset '
                      'and are ignored')
    return {e: images for e, images in kept.items() if images}
