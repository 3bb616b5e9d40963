"""A prediction file with NaN/inf is refused with its file and line: one
inf score would rescale every other score of the set."""
import pytest

from ffmm.evaluation.functional.widerface_ap import read_pred_file


@pytest.mark.parametrize('bad', ['inf', 'nan', '-inf'])
def test_non_finite_prediction_is_refused(tmp_path, bad):
    path = tmp_path / 'img_1.txt'
    path.write_text(f'img_1.jpg\n2\n1 2 3 4 0.9\n1 2 3 4 {bad}\n')
    with pytest.raises(ValueError, match=r'img_1.txt:4: non-finite'):
        read_pred_file(str(path))
    path.write_text('img_1.jpg\n1\n1 2 3 4 0.9\n')
    assert read_pred_file(str(path)).shape == (1, 5)
