"""Write a small, deterministic WIDER-format face set ("mini WIDER FACE").

Every picture is made offline from photographs that ship inside installed
packages: faces from ``skimage.data.astronaut()``, ``skimage.data.camera()``,
matplotlib's ``grace_hopper.jpg`` sample and the face crops of
``skimage.data.lfw_subset()``, pasted at many scales onto crops of the
bundled scikit-image background photos. The non-face crops of
``lfw_subset`` are pasted as distractors without boxes. Ground truth comes
from the paste geometry.

Layout (Pytorch_Retinaface conventions)::

    OUT_DIR/train/images/<event>/<name>.jpg   OUT_DIR/train/label.txt
    OUT_DIR/val/images/<event>/<name>.jpg     OUT_DIR/val/label.txt
                                              OUT_DIR/val/wider_val.txt
    OUT_DIR/README.txt

``label.txt`` holds ``# <event>/<name>.jpg`` per image followed by one line
per face with 20 numbers: ``x y w h`` then five ``lx ly 0.0`` landmark
triples and ``1.0``; faces without landmarks have fifteen ``-1.0`` and a
final ``-1.0``. ``wider_val.txt`` lists ``/<event>/<name>.jpg`` per line.

Each image draws from its own generator seeded by (seed, split, index), so
a run is reproducible and a smaller ``--num-train`` gives a prefix of a
larger one.

Usage::

    python tools/dataset/make_mini_widerface.py OUT_DIR [--seed 0]
        [--num-train 300] [--num-val 60] [--workers 1]
"""
import argparse
import math
import os
import os.path as osp
import sys
import time

import cv2
import numpy as np

# ----------------------------------------------------------------- sources
# Face boxes (x1, y1, x2, y2) and five landmarks (left eye, right eye, nose,
# left mouth corner, right mouth corner; "left" is the image left) in the
# coordinates of the source photographs. They were annotated by hand on
# these source photos.
PHOTO_FACES = {
    'astronaut': dict(
        box=(177.5, 56.4, 270.1, 176.4),
        landmarks=((204, 103), (245, 104), (224, 129), (203, 139),
                   (245, 140))),
    'grace_hopper': dict(
        box=(174.0, 107.4, 358.5, 328.1),
        landmarks=((218, 197), (304, 187), (263, 250), (231, 274),
                   (306, 266))),
    'camera': dict(
        box=(197.2, 111.6, 256.5, 194.3),
        landmarks=((235, 146), (248, 145), (250, 164), (231, 176),
                   (240, 177))),
}
# In a 25x25 lfw_subset face crop the face (brow to chin, cheek to cheek)
# fills this fraction of the crop: (x1, y1, x2, y2) relative to the size.
LFW_FACE_BOX = (0.16, 0.16, 0.84, 0.92)
LFW_NUM_FACES = 100  # lfw_subset(): the first 100 crops are faces.

# Bundled scikit-image photographs without people, used as backgrounds.
BACKGROUNDS = ('coffee', 'chelsea', 'cat', 'rocket', 'brick', 'grass',
               'gravel', 'coins', 'clock', 'moon', 'hubble_deep_field',
               'immunohistochemistry', 'colorwheel', 'cell', 'page', 'text',
               'stereo_motorcycle', 'retina')

# Events: (id, name, number of faces (lo, hi), face height range in px).
EVENTS = (
    (0, 'Synthetic', (1, 8), (10, 250)),
    (1, 'Portrait', (1, 2), (60, 250)),
    (2, 'Crowd', (6, 12), (10, 40)),
    (3, 'Background', (0, 0), None),
)
EVENT_PROBS = (0.55, 0.15, 0.22, 0.08)
SPLIT_IDS = {'train': 0, 'val': 1}
JPEG_QUALITY = 90
MIN_FACE = 8  # smallest face side written (px)

# Landmark order after a horizontal flip: the eyes and mouth corners swap.
FLIP_ORDER = (1, 0, 2, 4, 3)


def load_sources():
    """All source pictures as BGR uint8, loaded from installed packages."""
    import skimage.data

    from ffmm.datasets.bundled_photos import bundled_photos, to_bgr_uint8
    photos = bundled_photos()

    lfw = skimage.data.lfw_subset()
    lfw = np.clip(lfw * 255.0, 0, 255).round().astype(np.uint8)

    backgrounds = []
    for name in BACKGROUNDS:
        img = getattr(skimage.data, name)()
        if isinstance(img, tuple):  # stereo pairs: keep the left view
            img = img[0]
        backgrounds.append(to_bgr_uint8(img))
    return dict(photos=photos, lfw_faces=lfw[:LFW_NUM_FACES],
                lfw_other=lfw[LFW_NUM_FACES:], backgrounds=backgrounds)


# ------------------------------------------------------------- primitives
def make_background(rng, src):
    """A random crop of a random background photo at a random size."""
    out_w = int(rng.integers(480, 801))
    out_h = int(rng.integers(360, 641))
    bg = src['backgrounds'][int(rng.integers(len(src['backgrounds'])))]
    h, w = bg.shape[:2]
    aspect = out_w / out_h
    frac = rng.uniform(0.5, 1.0)
    cw = min(w, frac * math.sqrt(w * h * aspect))
    ch = min(h, cw / aspect)
    cw = min(w, ch * aspect)
    cw, ch = max(16, int(cw)), max(16, int(ch))
    x0 = int(rng.integers(0, w - cw + 1))
    y0 = int(rng.integers(0, h - ch + 1))
    crop = bg[y0:y0 + ch, x0:x0 + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    img = cv2.resize(np.ascontiguousarray(crop), (out_w, out_h),
                     interpolation=cv2.INTER_LINEAR)
    return jitter(rng, img, strength=0.5)


def jitter(rng, img, strength=1.0):
    """Random saturation, contrast, brightness and channel gains."""
    sat = 1.0 + strength * rng.uniform(-0.5, 0.4)
    contrast = 1.0 + strength * rng.uniform(-0.35, 0.35)
    shift = strength * rng.uniform(-35, 35)
    gains = 1.0 + strength * rng.uniform(-0.12, 0.12, size=3)
    gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY),
                        cv2.COLOR_GRAY2BGR)
    img = cv2.addWeighted(img, sat, gray, 1.0 - sat, 0.0)
    # The per-channel affine part as one lookup table.
    mean = float(np.mean(cv2.mean(img)[:3]))
    v = np.arange(256, dtype=np.float64)[:, None]
    lut = ((v - mean) * contrast + mean + shift) * gains[None, :]
    lut = np.clip(lut + 0.5, 0, 255).astype(np.uint8)
    return cv2.LUT(img, lut.reshape(256, 1, 3))


def feather_mask(h, w, border):
    """Alpha mask, 1 inside and ramping to 0 over `border` px at the edges."""
    if border <= 0:
        return np.ones((h, w, 1), np.float32)
    ys = np.minimum(np.arange(h) + 0.5, h - np.arange(h) - 0.5) / border
    xs = np.minimum(np.arange(w) + 0.5, w - np.arange(w) - 0.5) / border
    m = np.minimum(np.clip(ys, 0, 1)[:, None], np.clip(xs, 0, 1)[None, :])
    return m[:, :, None].astype(np.float32)


def blend(canvas, patch, x, y, border):
    h, w = patch.shape[:2]
    region = canvas[y:y + h, x:x + w].astype(np.float32)
    alpha = feather_mask(h, w, border)
    out = patch.astype(np.float32) * alpha + region * (1.0 - alpha)
    canvas[y:y + h, x:x + w] = np.clip(out + 0.5, 0, 255).astype(np.uint8)


def style_patch(rng, patch):
    """Per-paste appearance changes: grey, colour jitter, sometimes blur."""
    if rng.random() < 0.15:
        patch = cv2.cvtColor(cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY),
                             cv2.COLOR_GRAY2BGR)
    patch = jitter(rng, patch)
    if rng.random() < 0.2:
        sigma = rng.uniform(0.5, 0.6 + 0.02 * min(patch.shape[:2]))
        patch = cv2.GaussianBlur(patch, (0, 0), sigmaX=sigma)
    return patch


def face_patch(rng, src, face_h):
    """A styled patch containing one face whose box is about face_h tall.

    Returns (patch, box (x1, y1, x2, y2), landmarks (5, 2) or None) with
    the geometry in patch pixels.
    """
    if rng.random() < 0.45:
        name = ('astronaut', 'grace_hopper', 'camera')[int(rng.integers(3))]
        photo = src['photos'][name]
        box = np.array(PHOTO_FACES[name]['box'], np.float64)
        lmk = np.array(PHOTO_FACES[name]['landmarks'], np.float64)
        bw, bh = box[2] - box[0], box[3] - box[1]
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        margin = rng.uniform(1.25, 1.8)
        H, W = photo.shape[:2]
        x0 = max(0, int(math.floor(cx - margin * bw / 2)))
        x1 = min(W, int(math.ceil(cx + margin * bw / 2)))
        y0 = max(0, int(math.floor(cy - margin * bh / 2)))
        y1 = min(H, int(math.ceil(cy + margin * bh / 2)))
        crop = photo[y0:y1, x0:x1]
        box = box - [x0, y0, x0, y0]
        lmk = lmk - [x0, y0]
    else:
        idx = int(rng.integers(len(src['lfw_faces'])))
        crop = cv2.cvtColor(src['lfw_faces'][idx], cv2.COLOR_GRAY2BGR)
        s = crop.shape[0]
        box = np.array(LFW_FACE_BOX, np.float64) * s
        lmk = None
        # An upscaled 25 px crop only looks like a face up to a point.
        face_h = min(face_h, 90)
    scale = face_h / (box[3] - box[1])
    ch, cw = crop.shape[:2]
    new_w = max(1, int(round(cw * scale)))
    new_h = max(1, int(round(ch * scale)))
    sx, sy = new_w / cw, new_h / ch
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    patch = cv2.resize(np.ascontiguousarray(crop), (new_w, new_h),
                       interpolation=interp)
    box = box * [sx, sy, sx, sy]
    if lmk is not None:
        lmk = lmk * [sx, sy]
    if rng.random() < 0.5:  # mirror: flip x and swap left/right points
        patch = patch[:, ::-1]
        box = np.array([new_w - box[2], box[1], new_w - box[0], box[3]])
        if lmk is not None:
            lmk = lmk[list(FLIP_ORDER)]
            lmk[:, 0] = new_w - lmk[:, 0]
    patch = style_patch(rng, np.ascontiguousarray(patch))
    return patch, box, lmk


def overlap(a, b):
    """Intersection area of two (x1, y1, x2, y2) boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def area(b):
    return (b[2] - b[0]) * (b[3] - b[1])


def paste_distractors(rng, src, canvas, count):
    H, W = canvas.shape[:2]
    for _ in range(count):
        idx = int(rng.integers(len(src['lfw_other'])))
        patch = cv2.cvtColor(src['lfw_other'][idx], cv2.COLOR_GRAY2BGR)
        size = int(rng.integers(20, 151))
        patch = cv2.resize(patch, (size, size),
                           interpolation=cv2.INTER_LINEAR)
        patch = jitter(rng, patch)
        x = int(rng.integers(0, W - size + 1))
        y = int(rng.integers(0, H - size + 1))
        blend(canvas, patch, x, y, border=max(1, size // 10))


def paste_faces(rng, src, canvas, count, height_range):
    """Paste up to `count` faces; returns [(box, landmarks or None)]."""
    H, W = canvas.shape[:2]
    lo, hi = height_range
    hi = min(hi, 0.7 * H)
    faces = []
    for _ in range(count):
        face_h = math.exp(rng.uniform(math.log(lo), math.log(hi)))
        for _attempt in range(25):
            patch, box, lmk = face_patch(rng, src, face_h)
            ph, pw = patch.shape[:2]
            if ((box[2] - box[0]) < MIN_FACE or (box[3] - box[1]) < MIN_FACE
                    or pw > W or ph > H):
                face_h = max(lo, face_h * 0.8)
                continue
            x = int(rng.integers(0, W - pw + 1))
            y = int(rng.integers(0, H - ph + 1))
            gbox = box + [x, y, x, y]
            rect = (x, y, x + pw, y + ph)
            # The new patch must not hide earlier faces, and its face must
            # not sit on an earlier patch's face either.
            if any(overlap(rect, fb) > 0.1 * area(fb) for fb, _ in faces):
                face_h = max(lo, face_h * 0.85)
                continue
            if any(overlap(gbox, fb) > 0 for fb, _ in faces):
                continue
            border = max(1, int(0.06 * min(pw, ph)))
            blend(canvas, patch, x, y, border)
            faces.append((gbox, None if lmk is None else lmk + [x, y]))
            break
    return faces


def make_image(seed, split, idx, src):
    """One image: (event dir, file name, BGR image, faces)."""
    rng = np.random.default_rng([seed, SPLIT_IDS[split], idx])
    ev_id, ev_name, (n_lo, n_hi), hrange = EVENTS[int(
        rng.choice(len(EVENTS), p=EVENT_PROBS))]
    canvas = make_background(rng, src)
    n_distract = int(rng.integers(1, 5)) if hrange is None else \
        int(rng.integers(0, 3))
    paste_distractors(rng, src, canvas, n_distract)
    faces = []
    if hrange is not None:
        faces = paste_faces(rng, src, canvas, int(rng.integers(n_lo,
                                                              n_hi + 1)),
                            hrange)
    event = f'{ev_id}--{ev_name}'
    name = f'{ev_id}_{ev_name}_{idx}.jpg'
    return event, name, canvas, faces


def face_line(box, lmk):
    x1, y1, x2, y2 = box
    vals = [f'{x1:.2f}', f'{y1:.2f}', f'{x2 - x1:.2f}', f'{y2 - y1:.2f}']
    if lmk is None:
        vals += ['-1.0'] * 16
    else:
        for lx, ly in lmk:
            vals += [f'{lx:.2f}', f'{ly:.2f}', '0.0']
        vals.append('1.0')
    return ' '.join(vals)


_SOURCES = None


def _work(job):
    seed, split, idx, out_dir = job
    event, name, img, faces = make_image(seed, split, idx, _SOURCES)
    img_dir = osp.join(out_dir, split, 'images', event)
    os.makedirs(img_dir, exist_ok=True)
    path = osp.join(img_dir, name)
    if not cv2.imwrite(path, img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY]):
        raise OSError(f'cannot write {path}')
    lines = [f'# {event}/{name}'] + [face_line(b, l) for b, l in faces]
    stats = (len(faces), sum(l is not None for _, l in faces),
             sum(min(b[2] - b[0], b[3] - b[1]) < 30 for b, _ in faces))
    return split, f'/{event}/{name}', lines, stats


README = """\
mini WIDER FACE (synthetic), written by tools/dataset/make_mini_widerface.py
seed={seed} train images={n_train} val images={n_val}

A small face detection set for demos and tests, made offline on the fly.
It is not WIDER FACE and results on it say nothing about WIDER FACE.

Provenance of the pixels (all loaded from installed Python packages):
* faces: scikit-image `skimage.data.astronaut()` and `skimage.data.camera()`,
  matplotlib's sample image `grace_hopper.jpg`, and the 100 face crops of
  `skimage.data.lfw_subset()` (a subset of Labeled Faces in the Wild);
* distractors pasted without boxes: the 100 non-face crops of
  `skimage.data.lfw_subset()`;
* backgrounds: crops of scikit-image sample photos without people
  ({backgrounds}).
See the scikit-image and matplotlib documentation for the origin and terms
of each sample image.

Ground truth comes from the paste geometry. The face boxes and 5 landmarks
of the three portrait photos were annotated by hand on the source photos;
lfw_subset faces get a fixed box relative to the crop and no landmarks.

Layout (Pytorch_Retinaface conventions):
  train/images/<event>/<name>.jpg, train/label.txt
  val/images/<event>/<name>.jpg, val/label.txt, val/wider_val.txt
label.txt: '# <event>/<name>.jpg', then per face 20 numbers:
  x y w h, five 'lx ly 0.0' landmark triples (left eye, right eye, nose,
  left mouth corner, right mouth corner), then 1.0; faces without
  landmarks have -1.0 in all 16 last places.
wider_val.txt: '/<event>/<name>.jpg' per line.
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out_dir')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--num-train', type=int, default=300)
    p.add_argument('--num-val', type=int, default=60)
    p.add_argument('--workers', type=int, default=1,
                   help='processes writing images (the output does not '
                   'depend on it)')
    return p.parse_args(argv)


def main(argv=None):
    global _SOURCES
    args = parse_args(argv)
    if args.num_train < 0 or args.num_val < 0:
        sys.exit('--num-train and --num-val must be >= 0')
    t0 = time.time()
    cv2.setNumThreads(1)
    _SOURCES = load_sources()
    out = args.out_dir
    jobs = [(args.seed, 'train', i, out) for i in range(args.num_train)]
    jobs += [(args.seed, 'val', i, out) for i in range(args.num_val)]
    for split in ('train', 'val'):
        os.makedirs(osp.join(out, split, 'images'), exist_ok=True)
    if args.workers > 1 and len(jobs) > 8:
        import multiprocessing as mp
        ctx = mp.get_context('fork') if 'fork' in \
            mp.get_all_start_methods() else None
        if ctx is None:
            results = list(map(_work, jobs))
        else:
            with ctx.Pool(args.workers) as pool:
                results = pool.map(_work, jobs, chunksize=4)
    else:
        results = list(map(_work, jobs))

    labels = {'train': [], 'val': []}
    val_list = []
    totals = np.zeros(3, int)
    for split, rel, lines, stats in results:
        labels[split] += lines
        totals += stats
        if split == 'val':
            val_list.append(rel)
    for split, lines in labels.items():
        with open(osp.join(out, split, 'label.txt'), 'w') as f:
            f.write('\n'.join(lines) + ('\n' if lines else ''))
    with open(osp.join(out, 'val', 'wider_val.txt'), 'w') as f:
        f.write('\n'.join(val_list) + ('\n' if val_list else ''))
    with open(osp.join(out, 'README.txt'), 'w') as f:
        f.write(README.format(seed=args.seed, n_train=args.num_train,
                              n_val=args.num_val,
                              backgrounds=', '.join(BACKGROUNDS)))
    print(f'wrote {len(jobs)} images ({args.num_train} train, '
          f'{args.num_val} val) with {totals[0]} faces ({totals[1]} with '
          f'landmarks, {totals[2]} smaller than 30 px) to {out} in '
          f'{time.time() - t0:.1f}s')


if __name__ == '__main__':
    main()
