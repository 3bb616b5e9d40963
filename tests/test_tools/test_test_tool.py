"""tools/test.py on the mini set: metric, WIDER-layout dump, drawn images."""
import glob
import json
import os.path as osp

from ..conftest import REPO, run_tool, shared_file

CONFIG = osp.join(REPO, 'configs/retinaface/retinaface_mnet025_mini.py')


def test_test_tool_reports_ap_and_dumps_widerface_layout(
        mini_widerface, tmp_path):
    src = shared_file('weights', 'retinaface_mnet025_widerface.pth')
    ckpt = str(tmp_path / 'retinaface.pth')
    run_tool('tools/convert_ckpt.py', '--from', 'retinaface', src, ckpt)
    dump = tmp_path / 'dump'
    root = mini_widerface + '/'
    run_tool('tools/test.py', CONFIG, ckpt, '--work-dir',
             str(tmp_path / 'work'), '--dump-widerface', str(dump),
             '--show-dir', str(tmp_path / 'show'), '--cfg-options',
             f'test_dataloader.dataset.data_root={root}')
    metrics = glob.glob(str(tmp_path / 'work' / '*' / '*.json'))
    with open(metrics[0]) as f:
        ap = json.load(f)['widerface/all']
    # the public RetinaFace finds the pasted real faces of the mini set
    assert 0.3 < ap <= 1.0
    files = glob.glob(str(dump / '*' / '*.txt'))
    with open(osp.join(mini_widerface, 'val', 'wider_val.txt')) as f:
        assert len(files) == len([ln for ln in f if ln.strip()])
    with open(files[0]) as f:
        lines = f.read().splitlines()
    assert int(lines[1]) == len(lines) - 2
    assert all(len(ln.split()) == 5 for ln in lines[2:])
    assert glob.glob(str(tmp_path / 'show' / '**' / '*.jpg'), recursive=True)
