import os.path as osp
import subprocess
import sys

import pytest

from ffmm.utils import register_all_modules

# ffmm's modules and compatibility fixes, for every test (the scope is left
# to the tests and runners, as before)
register_all_modules(init_default_scope=False)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED = osp.normpath(osp.join(REPO, '..', 'shared'))


def shared_file(*parts):
    """Path inside ../shared, or skip the test when the team assets are
    absent (users outside the team do not have them)."""
    path = osp.join(SHARED, *parts)
    if not osp.exists(path):
        pytest.skip(f'{path} not present (team assets in ../shared)')
    return path


def load_script(*parts):
    """Import a repo script (e.g. ``'tools', 'convert_ckpt.py'``) as a
    module, to test its functions without a subprocess."""
    import importlib.util
    path = osp.join(REPO, *parts)
    name = osp.splitext(parts[-1])[0] + '_script'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(*args, check=True, timeout=600):
    """Run a repo script with the current interpreter from the repo root."""
    proc = subprocess.run([sys.executable, *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{args} failed ({proc.returncode}):\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}')
    return proc


@pytest.fixture(scope='session')
def mini_widerface(tmp_path_factory):
    """A small mini WIDER FACE set generated once per test session."""
    out = tmp_path_factory.mktemp('mini_widerface')
    run_tool('tools/dataset/make_mini_widerface.py', str(out),
             '--num-train', '24', '--num-val', '6')
    return str(out)


@pytest.fixture
def one_thread(monkeypatch):
    """One intra-op thread, here and in tool subprocesses: the test models
    are tiny and the CPU is shared, so oversubscription makes them crawl."""
    import torch
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def load_deployable_cfg(path):
    """A config whose ``model`` is the deployable detector (a distiller's
    student), without the pretrained backbone load."""
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    if cfg.model.type == 'FaceDistiller':
        cfg.model = cfg.model.student
    cfg.model.backbone.init_cfg = None
    return cfg
