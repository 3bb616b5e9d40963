"""tools/analysis/ablate.py and ffmm.analysis.ablation: moving each
ablation's change onto a recipe, sharing identical runs, the noise-marked
table and the lock that lets two invocations split the runs."""
import glob
import json
import os
import subprocess
import sys

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from ffmm.analysis.ablation import (apply_delta, config_delta,
                                    markdown_table, plan_runs)
from mmdet.registry import MODELS
from ..conftest import load_script

ABLATIONS = sorted(glob.glob('configs/featherface/ablations/*.py'))
RECIPE = 'configs/featherface/wider_split/ffv2_ultra_ablate_cpu.py'
RECIPE_NOKD = 'configs/featherface/wider_split/ffv2_ultra_ablate_cpu_nokd.py'


@pytest.fixture(scope='module')
def tool():
    return load_script('tools', 'analysis', 'ablate.py')


def num_params(model_cfg):
    model_cfg = Config(dict(m=model_cfg)).m
    model_cfg.backbone.init_cfg = None
    init_default_scope('mmdet')
    return sum(p.numel() for p in MODELS.build(model_cfg).parameters())


def test_delta_is_the_ablation_change():
    assert config_delta(
        'configs/featherface/ablations/ffv2_ultra_no_cascade.py') == {
            'model.student.neck.fusion_attention.num_stages': 1}
    assert config_delta(
        'configs/featherface/ablations/ffv2_ultra_kd_none.py') == {
            'model.teachers': []}
    assert config_delta(
        'configs/featherface/ablations/ffv2_ultra_kd_logits_only.py') == {
            'model.distiller.distill_losses.loss_kd_feat': None,
            'model.distiller.distill_losses.loss_kd_att': None}


@pytest.mark.parametrize(
    'ablation', [a for a in ABLATIONS if '_kd_' not in a],
    ids=lambda p: os.path.basename(p)[:-3])
def test_moved_change_builds_the_ablation_student(ablation):
    """On the WIDER recipe the student is the ablation config's student
    (same parameters), and the recipe's schedule is kept."""
    cfg = apply_delta(Config.fromfile(RECIPE_NOKD), config_delta(ablation))
    own = Config.fromfile(ablation)
    assert num_params(cfg.model.student) == num_params(own.model.student)
    assert cfg.train_cfg.max_iters == 600 and cfg.model.teachers == []
    # the recipe's own data, not the ablation base's
    assert 'widerface_val' in cfg.train_dataloader.dataset.data_root


def test_change_that_misses_the_recipe_is_an_error(tmp_path):
    recipe = Config(dict(model=dict(type='FaceDetector', neck=dict())))
    with pytest.raises(KeyError, match='model.distiller'):
        apply_delta(recipe, {'model.distiller.distill_losses.x': None})
    base = tmp_path / 'base.py'
    base.write_text('a = dict(b=1, c=2)\n')
    same = tmp_path / 'same.py'
    same.write_text("_base_ = './base.py'\n")
    with pytest.raises(ValueError, match='changes nothing'):
        config_delta(str(same))
    replacing = tmp_path / 'replacing.py'
    replacing.write_text("_base_ = './base.py'\na = dict(_delete_=True, b=3)\n")
    delta = config_delta(str(replacing))
    assert delta == {'a': dict(b=3, _delete_=True)}
    moved = apply_delta(Config(dict(a=dict(b=1, c=2), d=4)), delta)
    assert moved.a == dict(b=3) and moved.d == 4
    with pytest.raises(ValueError, match='no `_base_`'):
        config_delta(str(base))


def test_runs_with_the_same_training_share_a_directory(tmp_path):
    kd = plan_runs(RECIPE, [
        'configs/featherface/ablations/ffv2_ultra_kd_none.py',
        'configs/featherface/ablations/ffv2_ultra_kd_no_feature.py'],
        [0], str(tmp_path))
    nokd = plan_runs(RECIPE_NOKD, [], [0, 1], str(tmp_path))
    by_name = {r['name']: r['run_dir'] for r in kd + nokd}
    assert by_name['ffv2_ultra_kd_none'] == by_name['full (seed 0)'] or \
        by_name['ffv2_ultra_kd_none'] == nokd[0]['run_dir']
    assert nokd[0]['run_dir'] != nokd[1]['run_dir']  # the seed counts
    assert nokd[1]['cfg'].randomness.seed == 1
    assert len({r['run_dir'] for r in kd}) == 3


def result(name, easy, full=False):
    return dict(name=name, switches='s', full=full, params=1000,
                flops=2e9, ap=dict(easy=easy, medium=0.5, hard=0.3))


def test_table_marks_differences_within_the_seed_spread():
    text = markdown_table([
        result('full (seed 0)', 0.80, True),
        result('full (seed 1)', 0.81, True),
        result('big', 0.78), result('small', 0.8095),
        dict(name='pending', switches='s', full=False,
             change={'model.teachers': []})])
    rows = {line.split(' | ')[0][2:]: line for line in text.splitlines()
            if line.startswith('| ')}
    assert '| -2.50 |' in rows['big']  # beyond the 1.00 spread
    assert '+0.45 (noise)' in rows['small']
    assert 'easy 1.00' in text
    assert rows['pending'].count(' - ') >= 6   # not finished: no numbers
    single = markdown_table([result('full (seed 0)', 0.80, True),
                             result('big', 0.78)])
    assert '-2.00 (?)' in single   # one seed: no spread to judge by


def test_ablation_at_several_seeds_is_one_row_of_their_mean(tmp_path):
    all_off = 'configs/featherface/ablations/ffv2_ultra_all_off.py'
    runs = plan_runs(RECIPE_NOKD, [all_off], [0, 1], str(tmp_path),
                     ablation_seeds=[0, 1])
    assert [(r['name'], r['seed']) for r in runs][2:] == [
        ('ffv2_ultra_all_off', 0), ('ffv2_ultra_all_off', 1)]
    assert runs[2]['run_dir'] != runs[3]['run_dir']
    off = [dict(result('off', easy), seed=i) for i, easy in
           enumerate((0.76, 0.78))]
    text = markdown_table([result('full (seed 0)', 0.80, True),
                           result('full (seed 1)', 0.81, True)] + off)
    row = [line for line in text.splitlines() if line.startswith('| off')]
    assert len(row) == 1 and 'off (2 seeds, spread 2.00/0.00/0.00)' in row[0]
    assert '| 77.00 |' in row[0] and '| -3.50 |' in row[0]
    # a difference within the ablation's own seed spread is noise too
    wide = [dict(result('wide', easy), seed=i) for i, easy in
            enumerate((0.70, 0.80))]
    text = markdown_table([result('full (seed 0)', 0.80, True),
                           result('full (seed 1)', 0.81, True)] + wide)
    assert '-5.50 (noise)' in text
    pending = dict(name='off', switches='s', full=False, seed=1)
    one = markdown_table([result('full (seed 0)', 0.80, True),
                          result('full (seed 1)', 0.81, True),
                          off[0], pending])
    assert '| off | s |' in one and '| 76.00 |' in one


def test_lock_splits_runs_between_invocations(tool, tmp_path):
    run_dir = tmp_path / 'run'
    assert tool.claim(str(run_dir))              # free: taken
    assert not tool.claim(str(run_dir))          # held by a live process
    dead = subprocess.Popen([sys.executable, '-c', 'pass'])
    dead.wait()
    (run_dir / tool.LOCK_FILE).write_text(str(dead.pid))
    assert tool.claim(str(run_dir))              # stale lock taken over


def test_finished_run_is_reused_without_training(tool, tmp_path,
                                                 monkeypatch):
    runs = plan_runs(RECIPE_NOKD, [
        'configs/featherface/ablations/ffv2_ultra_no_cascade.py'], [0],
        str(tmp_path))
    run = runs[0]
    os.makedirs(run['run_dir'])
    stored = result('full (seed 0)', 0.7, True)
    with open(os.path.join(run['run_dir'], tool.RESULT_FILE), 'w') as f:
        json.dump(stored, f)

    def no_child(*args, **kwargs):
        raise AssertionError('a finished run must not be trained again')

    monkeypatch.setattr(tool, '_child', no_child)
    args = tool.parse_args([RECIPE_NOKD, '--work-dir', str(tmp_path)])
    assert tool.execute(run, args) == stored
    tool.write_table(runs, str(tmp_path), 'cmd')  # one run still pending
    table = (tmp_path / 'ablation.md').read_text()
    assert '70.00' in table and '| ffv2_ultra_no_cascade |' in table


def test_table_only_trains_nothing(tool, tmp_path, monkeypatch, capsys):
    def no_child(*args, **kwargs):
        raise AssertionError('--table-only must not train or evaluate')

    monkeypatch.setattr(tool, '_child', no_child)
    tool.main([RECIPE_NOKD, '--seeds', '0', '--table-only', '--work-dir',
               str(tmp_path)])
    assert '| full (seed 0) |' in (tmp_path / 'ablation.md').read_text()
    assert not (tmp_path / 'runs').exists()
