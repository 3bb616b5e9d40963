"""Recall by face size on a WIDER val split, for one or more models.

    python tools/analysis/size_recall.py CONFIG CKPT [CONFIG CKPT ...] \
        [--split dev] [--score-thr 0.5] [--iou-thr 0.5] \
        [--edges 0 16 32 64 128 256 384] [--num-images N] [--threads 1]

Each model detects at original size (its test pipeline); a face counts as
found when a detection above ``--score-thr`` overlaps it by ``--iou-thr``
(greedy, one detection per face; faces marked invalid are left out).
Prints a markdown table: recall per bucket of the face's longer side, and
the detections that matched no face. Checkpoints load strictly.
"""
import argparse

from ffmm.utils.tool_checks import config_ckpt_pairs, load_detector_or_exit


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('models', nargs='+', metavar='CONFIG CKPT')
    parser.add_argument('--split', default='dev')
    parser.add_argument('--score-thr', type=float, default=0.5)
    parser.add_argument('--iou-thr', type=float, default=0.5)
    parser.add_argument('--edges', type=float, nargs='+')
    parser.add_argument('--num-images', type=int,
                        help='only the split\'s first N images')
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)
    return args, config_ckpt_pairs(parser, args.models)


def split_images(split, num_images=None):
    """``[(image path, valid face boxes)]`` of a WIDER val split."""
    import numpy as np
    from mmdet.registry import DATASETS
    from mmengine.config import Config

    from ffmm.utils.wider_split import use_wider_split
    cfg = use_wider_split(Config(dict(test_dataloader=dict(
        dataset=dict(pipeline=[])))), split)
    dataset = DATASETS.build(dict(cfg.test_dataloader.dataset,
                                  check_images=False))
    images = []
    count = len(dataset) if num_images is None else min(
        num_images, len(dataset))
    for index in range(count):
        info = dataset.get_data_info(index)
        boxes = [f['bbox'] for f in info['instances']
                 if not f['ignore_flag']]
        images.append((info['img_path'],
                       np.asarray(boxes, np.float32).reshape(-1, 4)))
    return images


def main(argv=None):
    args, pairs = parse_args(argv)
    from ffmm.utils import register_all_modules
    from ffmm.utils.threads import set_threads
    set_threads(args.threads)
    register_all_modules()
    from mmdet.apis import inference_detector

    from ffmm.analysis.size_recall import DEFAULT_EDGES, SizeRecall

    images = split_images(args.split, args.num_images)
    rows = []
    for config, ckpt in pairs:
        model = load_detector_or_exit(config, ckpt)
        recall = SizeRecall(args.edges or DEFAULT_EDGES, args.iou_thr)
        for path, gt_boxes in images:
            pred = inference_detector(model, path).pred_instances
            pred = pred[pred.scores >= args.score_thr]
            recall.add(pred.bboxes.numpy(), pred.scores.numpy(), gt_boxes)
        rows.append((ckpt, recall))
    first = rows[0][1]
    print(f'{args.split}: {len(images)} images, score >= {args.score_thr}, '
          f'IoU >= {args.iou_thr}; recall by longer side (px)\n')
    print('| model | ' + ' | '.join(
        f'{b} ({t})' for b, t in zip(first.labels(), first.total)) +
        ' | unmatched detections |')
    print('|:---|' + '---:|' * (len(first.total) + 1))
    for ckpt, recall in rows:
        cells = ' | '.join(f'{r:.2f}' for r in recall.recalls())
        print(f'| {ckpt} | {cells} | {recall.false_positives} |')
    return rows


if __name__ == '__main__':
    main()
