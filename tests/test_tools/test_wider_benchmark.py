"""tools/analysis/wider_benchmark.py: arguments, AP reuse, the table."""
import json
import os
import sys

import pytest

from ..conftest import load_script


@pytest.fixture(scope='module')
def tool():
    return load_script('tools', 'analysis', 'wider_benchmark.py')


def parse(tool, monkeypatch, *argv):
    monkeypatch.setattr(sys, 'argv', ['wider_benchmark.py', *argv])
    return tool.parse_args()


def test_arguments(tool, monkeypatch, tmp_path, capsys):
    cfg, ckpt = tmp_path / 'a.py', tmp_path / 'a.pth'
    cfg.write_text('')
    ckpt.write_bytes(b'x')
    args, pairs = parse(tool, monkeypatch, str(cfg), str(ckpt), '--names',
                        'A', '--flip-tta', '1')
    assert pairs == [(str(cfg), str(ckpt))] and args.flip_tta == [1]
    for argv, message in (([str(cfg)], 'CONFIG CKPT pairs'),
                          ([str(cfg), str(ckpt), '--flip-tta', '2'],
                           'no model'),
                          ([str(cfg), str(tmp_path / 'none.pth')],
                           'does not exist'),
                          ([str(cfg), str(ckpt), '--names', 'A', 'B'],
                           '--names needs 1')):
        with pytest.raises(SystemExit):
            parse(tool, monkeypatch, *argv)
        assert message in capsys.readouterr().err


def test_ap_is_reused_only_for_the_same_checkpoint_and_config(tool,
                                                              tmp_path):
    ckpt = tmp_path / 'a.pth'
    ckpt.write_bytes(b'weights')
    ap = dict(easy=0.9, medium=0.8, hard=0.5)
    stored = tmp_path / 'old.json'
    row = dict(config='c.py', checkpoint=str(ckpt), split='dev', tta=False,
               ap=ap, checkpoint_id=tool.checkpoint_id(str(ckpt)),
               config_digest='d1')
    # a row of a run before config digests existed is never reused
    old_row = dict(row, checkpoint='b.pth')
    del old_row['config_digest']
    stored.write_text(json.dumps(dict(rows=[row, old_row])))
    reuse = tool.stored_ap([str(stored)])
    key = tool.reuse_key('dev', False, tool.checkpoint_id(str(ckpt)), 'd1')
    assert reuse[key] == ap and len(reuse) == 1
    # a renamed file of the same model is reused: the key has no paths
    renamed = tmp_path / 'renamed.pth'
    os.rename(ckpt, renamed)
    assert tool.reuse_key('dev', False, tool.checkpoint_id(str(renamed)),
                          'd1') in reuse
    # an edited config (another digest) is evaluated again
    assert key[:3] + ('d2', ) not in reuse
    assert tool.reuse_key('dev', True, key[2], 'd1') not in reuse  # TTA
    os.utime(renamed, (1, 1))  # a retrained file is evaluated again
    assert tool.reuse_key('dev', False, tool.checkpoint_id(str(renamed)),
                          'd1') not in reuse
    assert tool.stored_ap([]) == {}
    # several files: their rows together, a later file's AP winning
    newer = tmp_path / 'new.json'
    other = dict(row, checkpoint_id=dict(size=1, mtime=2),
                 ap=dict(ap, easy=0.1))
    newer.write_text(json.dumps(dict(rows=[dict(row, ap=ap | dict(hard=0.6)),
                                           other])))
    both = tool.stored_ap([str(stored), str(newer)])
    assert both[key] == dict(ap, hard=0.6) and len(both) == 2
    assert tool.stored_ap([str(newer), str(stored)])[key] == ap


def test_config_digest_follows_the_model_and_test_pipeline(tool, tmp_path):
    from ..conftest import REPO
    base = os.path.join(REPO, 'configs/featherface/ffv2_ultra_student.py')
    same = tmp_path / 'same.py'
    same.write_text(f'_base_ = [{base!r}]\n')
    padded = tmp_path / 'padded.py'
    padded.write_text(f'_base_ = [{base!r}]\n'
                      'model = dict(data_preprocessor=dict('
                      'pad_size_divisor=32))\n')
    assert tool.config_digest(str(same)) == tool.config_digest(base)
    assert tool.config_digest(str(padded)) != tool.config_digest(base)


def test_markdown_table(tool):
    rows = [dict(name='V1', params=592371, gflops=1.2751, latency_ms=388.4,
                 passes=1, ap=dict(easy=0.9265, medium=0.9024, hard=0.7808)),
            dict(name='V2 + flip TTA', params=244031, gflops=0.43,
                 latency_ms=102.0, passes=2,
                 ap=dict(easy=0.9, medium=0.88, hard=0.7))]
    lines = tool.markdown(rows, threads=1).splitlines()
    assert lines[0].startswith('| model | params |') and '(1 thr)' in lines[0]
    assert lines[2] == ('| V1 | 592,371 | 1.275 | 388 | 92.65 | 90.24 | '
                        '78.08 |')
    assert '| 2 x 102 |' in lines[3]
