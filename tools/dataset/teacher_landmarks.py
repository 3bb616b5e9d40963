"""Add a teacher's landmarks to a WIDER FACE label file with boxes only.

    python tools/dataset/teacher_landmarks.py ANN_FILE IMG_DIR OUT \
        [--config CONFIG --checkpoint CKPT] [--score-thr 0.5] \
        [--iou-thr 0.5] [--threads 1]

ANN_FILE is in the official ``wider_face_*_bbx_gt.txt`` format; OUT is the
same file with every face line extended by 5 ``x y flag`` landmarks (the
``label.txt`` convention, ``-1`` where the teacher found no matching face):
the teacher (default FeatherFace V1, converted by ``make weights``) runs
at original size and each labelled face takes the landmarks of the
detection that overlaps it most. Boxes and flags are copied unchanged.
OUT is never overwritten; it appears only when complete.
"""
import argparse
import os
import os.path as osp
import sys
import time

import cv2

DEFAULT_TEACHER = ('configs/featherface/featherface_v1.py',
                   'weights/converted/featherface_v1_widerface.pth')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('ann_file')
    parser.add_argument('img_dir', help='folder the listed paths are in')
    parser.add_argument('out')
    parser.add_argument('--config', default=DEFAULT_TEACHER[0])
    parser.add_argument('--checkpoint', default=DEFAULT_TEACHER[1])
    parser.add_argument('--score-thr', type=float, default=0.5)
    parser.add_argument('--iou-thr', type=float, default=0.5)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)
    if osp.exists(args.out):
        parser.error(f'{args.out} exists; it is not overwritten '
                     '(remove it or choose another name)')
    for path in (args.ann_file, args.config, args.checkpoint):
        if not osp.isfile(path):
            parser.error(f'no such file: {path}')
    return args


def teacher_landmarks(model, records, img_dir, score_thr, iou_thr,
                      ann_file):
    """``{label line number: (5, 2) landmarks or None}`` for every face."""
    from ffmm.apis import detect_faces
    from ffmm.datasets.teacher_landmarks import assign_landmarks
    found, start = {}, time.time()
    for i, (rel_path, lineno, faces) in enumerate(records, 1):
        path = osp.join(img_dir, rel_path.lstrip('/'))
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise SystemExit(f'error: cannot read {path} (listed at '
                             f'{ann_file}:{lineno})')
        dets = detect_faces(model, image, score_thr)[1]
        points = assign_landmarks([f['bbox'] for f in faces], [
            box[:4] for box in dets['boxes']], dets['landmarks'], iou_thr)
        found.update((f['lineno'], p) for f, p in zip(faces, points))
        if i % 100 == 0 or i == len(records):
            print(f'{i}/{len(records)} images, {time.time() - start:.0f} s',
                  flush=True)
    return found


def main(argv=None):
    args = parse_args(argv)
    from ffmm.apis import init_face_detector
    from ffmm.datasets import WIDERFaceLandmarkDataset
    from ffmm.datasets.teacher_landmarks import with_landmarks
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    register_all_modules()
    set_threads(args.threads)
    with open(args.ann_file, encoding='utf-8-sig') as f:
        lines = [ln.strip() for ln in f]
    if len(lines) < 3 or not lines[1].isdigit():
        raise SystemExit(f'error: {args.ann_file} is not in the official '
                         'format (image path, face count, face lines)')
    records = WIDERFaceLandmarkDataset(
        ann_file=args.ann_file, pipeline=[], lazy_init=True,
        check_images=False).parse_records(lines)
    for _, _, faces in records:
        for face in faces:
            if len(lines[face['lineno'] - 1].split()) != 10:
                raise SystemExit(f'error: {args.ann_file}:{face["lineno"]}'
                                 ' already has landmarks')
    model = init_face_detector(args.config, args.checkpoint)
    found = teacher_landmarks(model, records, args.img_dir, args.score_thr,
                              args.iou_thr, args.ann_file)
    out = [with_landmarks(ln, found[n]) if n in found else ln
           for n, ln in enumerate(lines, 1)]
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    partial = args.out + '.part'
    with open(partial, 'w') as f:
        f.write('\n'.join(out) + '\n')
    try:  # a link never replaces a file that appeared meanwhile
        os.link(partial, args.out)
    except FileExistsError:
        raise SystemExit(f'error: {args.out} appeared while this ran; the '
                         f'result is in {partial}') from None
    os.remove(partial)
    labelled = sum(p is not None for p in found.values())
    print(f'{args.out}: landmarks for {labelled} of {len(found)} faces '
          f'({len(records)} images)')


if __name__ == '__main__':
    sys.exit(main())
