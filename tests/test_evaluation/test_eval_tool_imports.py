"""tools/eval_widerface.py loads the evaluation package by path, without
torch or mmdet, and finds there every name ffmm's package exports."""
import json
import subprocess
import sys

from ffmm.evaluation import functional

from ..conftest import REPO

PROBE = '''
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('tool',
                                              'tools/eval_widerface.py')
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)
wap = tool.load_widerface_ap()
heavy = sorted({'torch', 'mmdet', 'mmengine', 'mmcv'} & set(sys.modules))
print(json.dumps(dict(names=dir(wap), heavy=heavy)))
'''


def test_eval_tool_loads_the_evaluation_package_without_torch():
    proc = subprocess.run([sys.executable, '-c', PROBE], cwd=REPO,
                          capture_output=True, text=True, check=True,
                          timeout=120)
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got['heavy'] == []
    assert set(functional.__all__) <= set(got['names'])
