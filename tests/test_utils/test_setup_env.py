"""``import ffmm`` has no side effects; ``register_all_modules`` and the
``ffmm.plugin`` config import register ffmm and apply the fixes."""
import subprocess
import sys
import textwrap

from ..conftest import REPO

# Run in a fresh interpreter: this test process registered ffmm already.
PROBE = textwrap.dedent("""
    import json, sys
    {setup}
    import torch
    from mmdet.apis import DetInferencer
    from mmdet.registry import DATASETS, METRICS, MODELS
    from mmengine import DefaultScope
    from mmengine.config import Config
    from mmengine.model import MMDistributedDataParallel
    scope = DefaultScope.get_current_instance()
    print(json.dumps(dict(
        model='FaceDetector' in MODELS.module_dict,
        dataset='WIDERFaceLandmarkDataset' in DATASETS.module_dict,
        metric='WIDERFaceMetric' in METRICS.module_dict,
        safe_globals=any('HistoryBuffer' in str(g) for g in
                         torch.serialization.get_safe_globals()),
        teacher_ckpt=hasattr(Config.merge_from_dict, '_ffmm_teacher_ckpt'),
        cpu_ddp=hasattr(MMDistributedDataParallel.__init__,
                        '_ffmm_cpu_patched'),
        landmarks=hasattr(DetInferencer.pred2dict, '_ffmm_landmarks'),
        scope=scope and scope.scope_name)))
""")
EFFECTS = ('model', 'dataset', 'metric', 'safe_globals', 'teacher_ckpt',
           'cpu_ddp', 'landmarks')


def probe(setup):
    import json
    proc = subprocess.run(
        [sys.executable, '-c', PROBE.format(setup=setup)], cwd=REPO,
        capture_output=True, text=True, timeout=300, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_ffmm_has_no_side_effects():
    got = probe('import ffmm, ffmm.utils, ffmm.apis')
    assert not any(got[k] for k in EFFECTS), got
    assert got['scope'] is None


def test_register_all_modules_registers_patches_and_sets_scope():
    got = probe('from ffmm.utils import register_all_modules; '
                'register_all_modules(); register_all_modules()')
    assert all(got[k] for k in EFFECTS), got
    assert got['scope'] == 'mmdet'


def test_config_custom_imports_register_without_setting_scope():
    got = probe("from mmengine.config import Config; Config.fromfile("
                "'configs/retinaface/retinaface_mnet025_widerface.py')")
    assert all(got[k] for k in EFFECTS), got
    assert got['scope'] is None
