"""Every config under configs/featherface/ builds, trains a step and has the
parameter count it reports; each V2-Ultra ablation changes one switch only.

A config whose model is a ``FaceDistiller`` is checked through its student
(the deployed model; the teachers are not loaded here).
"""
import copy
import glob
import os.path as osp

import pytest
import torch
from mmdet.registry import MODELS
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

import ffmm  # noqa: F401
from ffmm.analysis import count_parameters
from ffmm.analysis.model_summary import ORDER

from ..conftest import REPO, load_deployable_cfg, load_script

FEATHERFACE = osp.join(REPO, 'configs', 'featherface')
CONFIGS = sorted(
    osp.relpath(p, FEATHERFACE)
    for p in glob.glob(osp.join(FEATHERFACE, '**', '*.py'), recursive=True))

# Totals measured with tools/analysis/params.py (README "Model sizes").
EXPECTED_PARAMS = {
    'featherface_v1.py': 592371,
    'featherface_v1_c52.py': 498102,
    'featherface_v1_mini.py': 592371,
    'ffv2.py': 254179,
    # the default V2-Ultra: the compute-costing ideas off
    'ffv2_ultra.py': 241388,
    'ffv2_ultra_student.py': 241388,
    'ffv2_ultra_from_retinaface.py': 241388,
    'ffv2_ultra_mini.py': 241388,
    'ffv2_ultra_student_mini.py': 241388,
    'ffv2_ultra_dense_p3_student.py': 248948,  # + a dense stride-8 SSH
    'wider_split/ffv2_ultra_dense_p3_distill_cpu_landmarks.py': 248948,
    'wider_split/ffv2_ultra_dense_p3_distill_cpu_landmarks_ft320.py': 248948,
    'ffv2_ultra_unshared_head_student.py': 245420,  # a head per level
    'wider_split/ffv2_ultra_distill_cpu_landmarks_ft320_unshared_head.py':
        245420,
    # every idea on, and its ablations
    'ffv2_ultra_full.py': 244031,
    'ffv2_ultra_full_student.py': 244031,
    'ablations/ffv2_ultra_no_adaptive_fusion.py': 242687,
    'ablations/ffv2_ultra_no_cascade.py': 244031,
    'ablations/ffv2_ultra_no_smart_head.py': 243167,
    'ablations/ffv2_ultra_no_feature_reuse.py': 244031,
    'ablations/ffv2_ultra_no_enhancement.py': 244031,
    'ablations/ffv2_ultra_no_dynamic_gate.py': 243596,
    'ablations/ffv2_ultra_no_grouped_ssh.py': 274991,
    'ablations/ffv2_ultra_all_off.py': 241388,
    # distillation ablations: same student, other losses/teachers
    'ablations/ffv2_ultra_kd_none.py': 244031,
    'ablations/ffv2_ultra_kd_logits_only.py': 244031,
    'ablations/ffv2_ultra_kd_no_feature.py': 244031,
    'ablations/ffv2_ultra_kd_no_attention.py': 244031,
    'ablations/ffv2_ultra_kd_landmarks_only.py': 244031,
}
# the one switch of each ablation: dotted path in the student's model dict
# -> its value there (None: the optional neck stage is off)
ABLATION_SWITCHES = {
    'no_adaptive_fusion': {'neck.fusion.fusion_cfg.type': 'WeightedFusion'},
    'no_cascade': {'neck.fusion_attention.num_stages': 1},
    'no_smart_head': {'bbox_head.cross_task': False},
    'no_feature_reuse': {'neck.feature_reuse': None},
    'no_enhancement': {'neck.enhancement': None},
    'no_dynamic_gate': {'neck.context_gate': None},
    'no_grouped_ssh': {
        'neck.context.groups': 1,
        'neck.backbone_attention.reduction': 16,
        'neck.fusion_attention.reduction': 16,
    },
    'all_off': {
        'neck.fusion.fusion_cfg.type': 'WeightedFusion',
        'neck.fusion_attention.num_stages': 1,
        'neck.feature_reuse': None,
        'neck.enhancement': None,
        'neck.context_gate': None,
        'bbox_head.cross_task': False,
    },
}


pytestmark = pytest.mark.usefixtures('one_thread')



def load_student_cfg(name):
    return load_deployable_cfg(osp.join(FEATHERFACE, name))


def lookup(d, path):
    for key in path.split('.'):
        d = d[key]
    return d


def with_values(d, switches):
    """A copy of the nested dict ``d`` with each dotted path set."""
    d = copy.deepcopy(d)
    for path, value in switches.items():
        *parents, leaf = path.split('.')
        lookup(d, '.'.join(parents))[leaf] = value
    return d


def without_momentum(d):
    """``d`` without the BN momentum of its norm configs (a training
    setting, not part of the model)."""
    if not isinstance(d, dict):
        return d
    return {k: without_momentum(v) for k, v in d.items()
            if not (k == 'momentum' and d.get('type') == 'BN')}


def one_face_sample(size=64):
    sample = DetDataSample(metainfo=dict(
        img_shape=(size, size), pad_shape=(size, size),
        batch_input_shape=(size, size)))
    sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[10., 12., 50., 58.]]),
        labels=torch.tensor([0]),
        keypoints=torch.rand(1, 5, 2) * 30 + 15,
        keypoints_visible=torch.ones(1, 5))
    return sample


@pytest.fixture(scope='module')
def summarize():
    return load_script('tools', 'analysis', 'params.py').summarize


def test_all_expected_configs_exist():
    missing = set(EXPECTED_PARAMS) - set(CONFIGS)
    assert not missing
    assert {f'ablations/ffv2_ultra_{k}.py'
            for k in ABLATION_SWITCHES} <= set(CONFIGS)


@pytest.mark.parametrize('name', CONFIGS)
def test_config_builds_trains_and_counts(name, summarize):
    torch.manual_seed(0)
    cfg = load_student_cfg(name)
    init_default_scope('mmdet')
    model = MODELS.build(cfg.model).train()
    losses = model.loss(torch.randn(1, 3, 64, 64) * 50, [one_face_sample()])
    assert {'loss_cls', 'loss_bbox', 'loss_ldm'} <= set(losses)
    total = sum(v for k, v in losses.items() if k.startswith('loss'))
    assert torch.isfinite(total)
    total.backward()
    for p in (model.bbox_head.ldm_convs[0].weight,
              model.bbox_head.cls_convs[2].weight,
              next(model.backbone.parameters())):
        assert p.grad is not None and p.grad.abs().sum() > 0

    report = summarize(cfg, flops=False)
    assert report['total'] == count_parameters(model)
    assert sum(report['modules'].values()) == report['total']
    assert set(report['modules']) <= set(ORDER)
    if name in EXPECTED_PARAMS:
        assert report['total'] == EXPECTED_PARAMS[name]
    if 'ffv2_ultra' in name and 'grouped_ssh' not in name:
        assert report['total'] <= 250000


@pytest.mark.parametrize('ablation', sorted(ABLATION_SWITCHES))
def test_ablation_changes_only_its_switch(ablation):
    ultra = load_student_cfg('ffv2_ultra_full.py').model.to_dict()
    name = f'ablations/ffv2_ultra_{ablation}.py'
    abl = load_student_cfg(name).model.to_dict()
    switches = ABLATION_SWITCHES[ablation]
    assert abl == with_values(ultra, switches)
    # and the switch is on in V2-Ultra
    for key, value in switches.items():
        assert lookup(ultra, key) != value


def test_ablations_switch_the_modules_off():
    init_default_scope('mmdet')

    def build(name):
        return MODELS.build(load_student_cfg(name).model)

    off = build('ablations/ffv2_ultra_all_off.py')
    neck, head = off.neck, off.bbox_head
    assert neck.feature_reuse is None and neck.enhancement is None
    assert neck.context_gates is None and head.cross_convs is None
    assert all(c.num_stages == 1 for c in neck.bifpn_cbam)
    assert type(neck.bifpn.cells[0].fuse_p4_out).__name__ == \
        'WeightedFusion'
    dense = build('ablations/ffv2_ultra_no_grouped_ssh.py')
    assert dense.neck.ssh[0].conv3x3.conv.groups == 1
    assert off.neck.ssh[0].conv3x3.conv.groups == 8


def test_default_is_the_measured_all_off_student():
    """The default V2-Ultra is the student the ablation study measured best
    (README), every idea off; the full config is the one it ablates."""
    default = load_student_cfg('ffv2_ultra_student.py').model.to_dict()
    assert default == load_student_cfg(
        'ablations/ffv2_ultra_all_off.py').model.to_dict()
    assert default == load_student_cfg('ffv2_ultra.py').model.to_dict()
    full = load_student_cfg('ffv2_ultra_full_student.py').model.to_dict()
    assert full == load_student_cfg('ffv2_ultra_full.py').model.to_dict()
    assert full != default


@pytest.mark.parametrize('mini,parent', [
    ('featherface_v1_mini.py', 'featherface_v1.py'),
    ('ffv2_ultra_mini.py', 'ffv2_ultra.py'),
    ('ffv2_ultra_student_mini.py', 'ffv2_ultra_student.py'),
])
def test_mini_configs_train_the_parent_model_briefly(mini, parent):
    cfg = Config.fromfile(osp.join(FEATHERFACE, mini))
    # same (student) model, BN momentum aside; a mini distillation run has
    # its own teacher
    mini_model = load_student_cfg(mini).model.to_dict()
    assert without_momentum(mini_model) == \
        without_momentum(load_student_cfg(parent).model.to_dict())
    # the short run's BN momentum is set in the model's norm_cfg
    neck = mini_model['neck']
    for stage in ('backbone_attention', 'fusion', 'fusion_attention'):
        assert neck[stage]['norm_cfg']['momentum'] == 0.1
    assert 'bn_momentum' not in cfg.default_hooks
    assert cfg.train_cfg.type == 'ScaledIterBasedTrainLoop'
    assert cfg.train_cfg.max_iters <= 150
    for loader in (cfg.train_dataloader, cfg.val_dataloader,
                   cfg.test_dataloader):
        assert loader.dataset.data_root == 'data/mini_widerface/'
    assert cfg.val_evaluator.gt_dir is None


def test_params_table_rows_and_markdown():
    tool = load_script('tools', 'analysis', 'params_table.py')
    configs = [osp.join(FEATHERFACE, 'ffv2.py'),
               osp.join(FEATHERFACE, 'ffv2_ultra_full.py')]
    rows = tool.table_rows(configs, flops=False)
    assert [r['config'] for r in rows] == ['featherface/ffv2.py',
                                          'featherface/ffv2_ultra_full.py']
    assert [r['total'] for r in rows] == [254179, 244031]
    for row in rows:
        assert sum(row[g] for g in ORDER) == row['total']
    lines = tool.format_table(rows, (640, 640), markdown=True).splitlines()
    assert lines[0].startswith('| config | backbone | attention |')
    assert lines[3] == ('| featherface/ffv2_ultra_full.py | 213,072 | '
                        '4,034 | 20,082 | 3,528 | 0 | 2,880 | 435 | '
                        '244,031 |')
