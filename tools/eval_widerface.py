"""Official WIDER FACE val evaluation of a predictions folder.

    python tools/eval_widerface.py PRED_DIR --gt GT_DIR [--subset FILE] \
        [--out-json FILE] [--plot FILE.png]

PRED_DIR holds ``<event>/<image>.txt`` files (image name, box count, then
``x y w h score`` lines); GT_DIR the official ``wider_*_val.mat`` files.
``--subset FILE`` (``event/name.jpg`` lines, e.g. a ``split_dev.txt``)
evaluates those images only, exactly as the official code would on the
ground truth restricted to them.
"""
import argparse
import importlib.util
import json
import os.path as osp
import sys
import warnings

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
LABELS = dict(easy='Easy', medium='Medium', hard='Hard')


def load_widerface_ap():
    """Load ``ffmm/evaluation/functional`` by path, as a package of its own
    (its modules import each other relatively and need numpy and scipy
    only): importing ``ffmm.evaluation`` would pull in torch and mmdet,
    several times the cost of the evaluation."""
    folder = osp.join(REPO, 'ffmm', 'evaluation', 'functional')
    name = '_widerface_functional'  # not ffmm's name: never mixed with it
    spec = importlib.util.spec_from_file_location(
        name, osp.join(folder, '__init__.py'),
        submodule_search_locations=[folder])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package  # for the relative imports inside
    spec.loader.exec_module(package)
    return package.widerface_ap


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pred_dir', help='folder of <event>/<image>.txt')
    parser.add_argument(
        '--gt', required=True, help='folder with wider_*_val.mat')
    parser.add_argument(
        '--subset', metavar='FILE',
        help='evaluate only the images listed (event/name.jpg lines)')
    parser.add_argument('--iou-thr', type=float, default=0.5)
    parser.add_argument('--out-json', help='write the three APs here')
    parser.add_argument('--plot', help='draw the PR curves to this image')
    return parser.parse_args()


def plot_curves(curves, path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4.5))
    for setting, curve in curves.items():
        ax.plot(curve.recall, curve.precision,
                label=f'{LABELS[setting]} (AP {curve.ap:.4f})')
    ax.set(xlabel='Recall', ylabel='Precision', xlim=(0, 1), ylim=(0, 1.01),
           title='WIDER FACE val')
    ax.grid(alpha=0.3)
    ax.legend(loc='lower left')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def log_progress(items, lines=4):
    """Progress for logs: a few whole lines instead of a bar's fragments."""
    total = len(items)
    marks = {max(1, round(total * k / lines)) for k in range(1, lines + 1)}
    for i, item in enumerate(items, 1):
        yield item
        if i in marks:
            print(f'read {i}/{total} event folders', flush=True)


def main():
    args = parse_args()
    if sys.stdout.isatty():
        from mmengine.utils import track_iter_progress as progress
    else:
        progress = log_progress
    # One readable line per warning (e.g. images without predictions).
    warnings.formatwarning = lambda msg, *_, **__: f'warning: {msg}\n'
    wap = load_widerface_ap()
    try:
        curves = wap.evaluate_widerface_dir(
            args.pred_dir,
            args.gt,
            iou_thr=args.iou_thr,
            progress=progress,
            subset_file=args.subset)
    except (FileNotFoundError, ValueError) as e:
        sys.exit(f'\nerror: {e}')  # after the progress bar's line
    for setting, curve in curves.items():
        print(f'{LABELS[setting]} AP: {curve.ap:.6f}')
    if args.out_json:
        with open(args.out_json, 'w') as f:
            json.dump({s: c.ap for s, c in curves.items()}, f, indent=2)
    if args.plot:
        plot_curves(curves, args.plot)


if __name__ == '__main__':
    main()
