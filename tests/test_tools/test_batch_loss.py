"""Task losses on a recipe's training batches (ffmm.analysis.batch_loss
and tools/analysis/batch_loss.py)."""
import pytest

from ..conftest import REPO, load_script, shared_file

RECIPE = ('configs/featherface/wider_split/'
          'ffv2_ultra_distill_cpu_landmarks_3200.py')
STUDENT = ('configs/featherface/ffv2_ultra_student.py',
           'checkpoints/ffv2_ultra_wider_split_distilled.pth')


@pytest.fixture
def tool(monkeypatch):
    monkeypatch.chdir(REPO)
    return load_script('tools', 'analysis', 'batch_loss.py')


def test_the_same_seed_draws_the_same_batches(tool, one_thread, capsys):
    shared_file('widerface_val', 'wider_face_train_bbx_gt.txt')
    args = [RECIPE, *STUDENT, '--batches', '1', '--batch-size', '2']
    (_, first), = tool.main(args)
    (_, again), = tool.main(args)
    (_, other), = tool.main(args + ['--seed', '1'])
    assert first == again
    assert other['loss_bbox'] != first['loss_bbox']
    assert f'| {STUDENT[1]} |' in capsys.readouterr().out


def test_the_trained_student_has_the_lower_loss(one_thread, monkeypatch):
    """Against the same architecture untrained, on the same batches: the
    losses are computed on targets that match the images."""
    shared_file('widerface_val', 'wider_face_train_bbx_gt.txt')
    from mmengine.config import Config

    from ffmm.analysis.batch_loss import mean_task_losses, training_batches
    from ffmm.apis import init_face_detector
    monkeypatch.chdir(REPO)
    batches = training_batches(Config.fromfile(RECIPE), 1, batch_size=4)
    trained = mean_task_losses(init_face_detector(*STUDENT), batches)
    untrained = mean_task_losses(init_face_detector(STUDENT[0]), batches)
    assert trained['loss_cls'] < untrained['loss_cls']
    assert trained['loss_bbox'] < untrained['loss_bbox']


def test_bad_arguments_are_parser_errors(tool, capsys):
    with pytest.raises(SystemExit):
        tool.parse_args([RECIPE, *STUDENT, '--batches', '0'])
    assert 'at least 1' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        tool.parse_args([RECIPE, STUDENT[0]])
    capsys.readouterr()
    with pytest.raises(SystemExit):
        tool.parse_args(['no_such_recipe.py', *STUDENT])
    assert 'no_such_recipe.py does not exist' in capsys.readouterr().err


def test_a_checkpoint_that_does_not_fit_is_named(tool, tmp_path):
    """The tool stops with the file's name before it reads any data."""
    import torch
    wrong = tmp_path / 'another_model.pth'
    torch.save({'state_dict': {'head.weight': torch.zeros(2)}}, wrong)
    with pytest.raises(SystemExit, match='another_model.pth'):
        tool.main([RECIPE, STUDENT[0], str(wrong)])
