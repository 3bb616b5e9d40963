"""tools/analysis/landmark_gap.py: landmark distance to a reference model."""
import math

import pytest

from ..conftest import REPO, load_script

STUDENT = ('configs/featherface/ffv2_ultra_student.py',
           'checkpoints/ffv2_ultra_wider_split_distilled.pth')


@pytest.fixture(scope='module')
def tool():
    return load_script('tools', 'analysis', 'landmark_gap.py')


def test_a_model_against_itself_is_zero(tool, monkeypatch, one_thread):
    monkeypatch.chdir(REPO)
    rows = tool.main([*STUDENT, '--reference', *STUDENT])
    (_, gaps), = rows
    assert set(gaps) == {'astronaut', 'camera', 'grace_hopper'}
    assert all(gap == 0.0 for gap in gaps.values())


def test_no_face_is_nan_and_the_table_says_so(tool, tmp_path, monkeypatch,
                                              one_thread):
    import cv2
    import numpy as np
    blank = tmp_path / 'blank.png'
    cv2.imwrite(str(blank), np.full((64, 64, 3), 128, np.uint8))
    monkeypatch.chdir(REPO)
    rows = tool.main([*STUDENT, '--reference', *STUDENT, '--images',
                      str(blank)])
    assert math.isnan(rows[0][1]['blank.png'])
    assert '| nan | nan |' in tool.markdown(rows, ['blank.png'])
    # one missed face makes the largest gap unknown
    two = [('m', {'a': 3.0, 'b': math.nan})]
    assert tool.markdown(two, ['a', 'b']).endswith('| 3.0 | nan | nan |')


@pytest.mark.parametrize('argv,message', [
    (['a.py'], 'CONFIG CKPT pairs'),
    ([*STUDENT[:1], 'missing.pth'], 'does not exist'),
])
def test_arguments(tool, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit):
        tool.parse_args(argv)
    assert message in capsys.readouterr().err
