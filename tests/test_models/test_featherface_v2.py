"""FeatherFace V2 / V2-Ultra: each student idea on its own, then the models.

Every idea is a layer with a behaviour of its own (formula, parameter cost,
gradients, weight sharing) and a switch of ``FeatherFaceNeck`` (one key of
a sub-config) or ``SmartFaceHead``; the model-level checks build V2 and
V2-Ultra from their configs (the student when a config wraps it in a
``FaceDistiller``).
"""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from ffmm.analysis import count_parameters, param_table
from ffmm.models.dense_heads import FaceAnchorHead, SmartFaceHead
from ffmm.models.layers import (AdaptiveFusion, BiFPN, BiFPNUltra,
                                DynamicGate, FeatureReuse,
                                ProgressiveEnhancement, WeightedFusion)
from ffmm.models.layers.bifpn import max_pool_same
from ffmm.models.layers.channel_shuffle import channel_shuffle
from ffmm.models.layers.dynamic_gate import complexity_stats
from ffmm.models.necks import FeatherFaceNeck, FeatherFaceV2Neck
from ffmm.models.plugins import CBAM, CBAMCascade
from mmdet.registry import MODELS

from ..conftest import REPO, load_deployable_cfg

V2 = osp.join(REPO, 'configs/featherface/ffv2.py')
ULTRA = osp.join(REPO, 'configs/featherface/ffv2_ultra_full.py')
BACKBONE_PARAMS = 213072


pytestmark = pytest.mark.usefixtures('one_thread')



def student_cfg(path):
    return load_deployable_cfg(path).model


def build(path):
    init_default_scope('mmdet')
    return MODELS.build(student_cfg(path))


def backbone_feats(batch=2, size=(12, 16)):
    torch.manual_seed(0)
    h, w = size
    return [torch.randn(batch, 64, h, w),
            torch.randn(batch, 128, (h + 1) // 2, (w + 1) // 2),
            torch.randn(batch, 256, (h + 3) // 4, (w + 3) // 4)]


# ---------------------------------------------------------- adaptive fusion
def test_adaptive_fusion_weights_follow_each_image():
    torch.manual_seed(0)
    fusion = AdaptiveFusion(num_inputs=2, channels=8)
    assert count_parameters(fusion) == 2 * 2 * 8 + 2
    a = torch.randn(2, 8, 5, 6)
    b = torch.randn(2, 8, 5, 6) * 3 + 1
    w = fusion.fusion_weights([a, b])
    assert w.shape == (2, 2)
    torch.testing.assert_close(w.sum(1), torch.ones(2))
    # two different images in the batch get different weights
    assert (w[0] - w[1]).abs().max() > 1e-3
    out = fusion([a, b])
    expected = w[:, 0, None, None, None] * a + w[:, 1, None, None, None] * b
    torch.testing.assert_close(out, expected)
    # the weights come from the pooled inputs: softmax(W [gap(a), gap(b)])
    ctx = torch.cat([a.mean((2, 3)), b.mean((2, 3))], 1)
    torch.testing.assert_close(w, F.softmax(fusion.context(ctx), 1))
    # a static fusion has one weight vector for every image
    static = WeightedFusion(2)
    torch.testing.assert_close(static([a, b]), 0.5 * (a + b) / (1 + 5e-5))
    out.sum().backward()
    assert fusion.context.weight.grad.abs().sum() > 0


def test_adaptive_fusion_relu_mode_and_surplus_weights():
    torch.manual_seed(0)
    fusion = AdaptiveFusion(2, 4, num_weights=3, normalize='relu')
    a, b = torch.rand(3, 4, 3, 3), torch.rand(3, 4, 3, 3)
    w = fusion.fusion_weights([a, b])
    assert w.shape == (3, 2) and (w >= 0).all()
    assert (w.sum(1) <= 1 + 1e-6).all()  # the surplus weight takes a share
    with pytest.raises(ValueError):
        AdaptiveFusion(3, 4, num_weights=2)


def test_adaptive_fusion_drops_into_v1_bifpn():
    feats = backbone_feats()
    static = BiFPN(out_channels=16, num_cells=1)
    adaptive = BiFPN(out_channels=16, num_cells=1,
                     fusion_cfg=dict(type='AdaptiveFusion'))
    cell = adaptive.cells[0]
    assert isinstance(cell.fuse_p3_out, AdaptiveFusion)
    # legacy P5 node: 3 logits, 2 inputs
    assert cell.fuse_p5_out.context.out_features == 3
    outs = adaptive(feats)
    assert [o.shape for o in outs] == [o.shape for o in static(feats)]
    extra = sum(n * n_w * 16 + n_w for n, n_w in ((2, 2), (2, 2), (3, 3),
                                                  (2, 3)))
    assert count_parameters(adaptive) - count_parameters(static) == extra - 10


def test_bifpn_ultra_shares_and_groups_projections():
    feats = backbone_feats()
    dense = BiFPNUltra(out_channels=32, num_cells=2, proj_groups=1)
    grouped = BiFPNUltra(out_channels=32, num_cells=2, proj_groups=2)
    proj = sum((c + 1) * 32 + 64 for c in (64, 128, 256))
    cell = 4 * (9 * 32 + 33 * 32 + 64) + (2 + 2 + 3 + 2)
    assert count_parameters(dense) == proj + 2 * cell
    assert count_parameters(dense) - count_parameters(grouped) == 448 * 32 // 2
    # V1's BiFPN at the same width projects the skip inputs a second time
    v1 = BiFPN(out_channels=32, num_cells=2, legacy_p5_weights=False)
    assert count_parameters(v1) - count_parameters(dense) == sum(
        (c + 1) * 32 + 64 for c in (128, 256))
    outs = grouped(feats)
    assert [tuple(o.shape) for o in outs] == [(2, 32, 12, 16), (2, 32, 6, 8),
                                              (2, 32, 3, 4)]


# ------------------------------------------------------------- CBAM cascade
def test_cbam_cascade_formula_and_free_extra_stages():
    torch.manual_seed(0)
    x = torch.randn(2, 32, 6, 7)
    single = CBAMCascade(32, num_stages=1, reduction=8).eval()
    shared = CBAMCascade(32, num_stages=3, share=True, reduction=8).eval()
    separate = CBAMCascade(32, num_stages=3, share=False, reduction=8)
    cbam_params = count_parameters(CBAM(32, 8))
    assert count_parameters(single) == count_parameters(shared) == cbam_params
    assert count_parameters(separate) == 3 * cbam_params
    # one stage is a CBAM
    shared.load_state_dict(single.state_dict(), strict=False)
    torch.testing.assert_close(single(x), single.stages[0](x))
    # x -> a1 = cbam(x) -> a2 = cbam(a1 + x) -> a3 = cbam(a2 + a1 + x)
    cbam = shared.stages[0]
    a1 = cbam(x)
    a2 = cbam(a1 + x)
    a3 = cbam(a2 + a1 + x)
    torch.testing.assert_close(shared(x), a3)
    assert not torch.allclose(shared(x), a1)
    with pytest.raises(ValueError):
        CBAMCascade(32, num_stages=4)


def test_cbam_cascade_weights_are_really_shared():
    shared = CBAMCascade(16, num_stages=3, share=True, reduction=4)
    s0, s2 = shared.stages[0], shared.stages[2]
    assert s0 is s2
    for p0, p2 in zip(s0.parameters(), s2.parameters()):
        assert p0 is p2 and p0.data_ptr() == p2.data_ptr()
    assert len(list(shared.parameters())) == len(list(s0.parameters()))
    separate = CBAMCascade(16, num_stages=3, share=False, reduction=4)
    assert separate.stages[0].channel_gate.fc1.weight.data_ptr() != \
        separate.stages[1].channel_gate.fc1.weight.data_ptr()
    # the shared weights get the gradient of every stage
    x = torch.randn(1, 16, 5, 5)
    shared(x).sum().backward()
    assert s0.channel_gate.fc1.weight.grad.abs().sum() > 0


# ------------------------------------------------ zero-parameter feature ops
def test_feature_reuse_adds_neighbours_with_fixed_weights():
    torch.manual_seed(0)
    p3, p4, p5 = (torch.randn(2, 8, 13, 17), torch.randn(2, 8, 7, 9),
                  torch.randn(2, 8, 4, 5))
    reuse = FeatureReuse(weight=0.1)
    assert count_parameters(reuse) == 0 and len(list(reuse.buffers())) == 0
    o3, o4, o5 = reuse([p3, p4, p5])
    up = lambda x, r: F.interpolate(x, size=r.shape[-2:])  # noqa: E731
    torch.testing.assert_close(o3, p3 + 0.1 * up(p4, p3))
    torch.testing.assert_close(
        o4, p4 + 0.1 * (max_pool_same(p3) + up(p5, p4)))
    assert o5 is p5
    o5_top = FeatureReuse(0.1, include_top=True)([p3, p4, p5])[2]
    torch.testing.assert_close(o5_top, p5 + 0.1 * max_pool_same(p4))


def test_progressive_enhancement_is_parameter_free():
    torch.manual_seed(0)
    x = torch.randn(2, 8, 4, 4)
    enh = ProgressiveEnhancement(rounds=2, alpha=0.1, shuffle_groups=2)
    assert count_parameters(enh) == 0
    y = x
    for _ in range(2):
        y = channel_shuffle(y + 0.1 * torch.tanh(y), 2)
    torch.testing.assert_close(enh(x), y)
    assert torch.equal(ProgressiveEnhancement(rounds=0)(x), x)
    # the enhancement is strictly increasing: order within a channel is kept
    one = ProgressiveEnhancement(rounds=1, shuffle_groups=1)
    v = torch.linspace(-5, 5, 101).view(1, 1, 1, -1)
    assert (one(v).diff(dim=-1) > 0).all()


# --------------------------------------------------------------- dynamic gate
def test_dynamic_gate_is_soft_and_differentiable():
    torch.manual_seed(0)
    gate = DynamicGate(32, hidden=4)
    assert count_parameters(gate) == 34 * 4 + 4 + 4 + 1
    smooth = torch.ones(1, 32, 8, 8) * torch.linspace(0, 1, 8)
    busy = torch.randn(1, 32, 8, 8) * 2
    x = torch.cat([smooth, busy]).requires_grad_()
    stats = complexity_stats(x)
    assert stats[1, 0] > stats[0, 0]  # the busy image has more edges
    g = gate(x)
    assert g.shape == (2, 1, 1, 1)
    assert ((g > 0) & (g < 1)).all()
    assert (g[0] - g[1]).abs() > 1e-4  # per-image decision
    block_out = x * 2 + 1
    y = gate.blend(x, block_out, g)
    torch.testing.assert_close(y, g * block_out + (1 - g) * x)
    y.square().mean().backward()
    for p in gate.parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0
    assert x.grad.abs().sum() > 0


# ---------------------------------------------------------------- SmartHead
def head_cfg(**kwargs):
    return dict(type='SmartFaceHead', in_channels=16, **kwargs)


def test_smart_head_cross_connections_change_outputs():
    torch.manual_seed(0)
    feats = [torch.rand(2, 16, s, s) for s in (8, 4, 2)]
    on = MODELS.build(head_cfg(cross_task=True))
    off = MODELS.build(head_cfg(cross_task=False))
    missing, unexpected = off.load_state_dict(on.state_dict(), strict=False)
    assert not missing and all(k.startswith('cross_convs') for k in
                               unexpected)
    with torch.no_grad():
        outs_on, outs_off = on(feats), off(feats)
        for task_on, task_off in zip(outs_on, outs_off):
            for a, b in zip(task_on, task_off):
                assert a.shape == b.shape
                assert (a - b).abs().max() > 1e-4
        # with zeroed cross convs the two heads agree
        for convs in on.cross_convs.values():
            convs[0].weight.zero_()
        for task_on, task_off in zip(on(feats), off(feats)):
            for a, b in zip(task_on, task_off):
                torch.testing.assert_close(a, b)
    # each direction: ldm -> cls, cls -> reg, reg -> ldm
    assert set(on.cross_convs) == {'ldm2cls', 'cls2reg', 'reg2ldm'}
    c = 16
    assert count_parameters(on) - count_parameters(off) == 3 * 9 * c


def test_smart_head_gradients_cross_tasks():
    torch.manual_seed(0)
    head = MODELS.build(head_cfg())
    feats = [torch.rand(1, 16, 4, 4)]
    cls, reg, ldm = head(feats)
    # box loss reaches the classification features through cls -> reg
    reg[0].sum().backward()
    assert head.task_convs['cls'][0].weight.grad.abs().sum() > 0
    assert head.cross_convs['cls2reg'][0].weight.grad.abs().sum() > 0
    assert head.task_convs['ldm'][0].weight.grad is None


def test_smart_head_shared_levels():
    shared = MODELS.build(head_cfg(share_levels=True))
    per_level = MODELS.build(head_cfg(share_levels=False))
    for convs in (shared.cls_convs, shared.ldm_convs,
                  shared.task_convs['reg'], shared.cross_convs['cls2reg']):
        assert convs[0] is convs[2]
        assert convs[0].weight.data_ptr() == convs[1].weight.data_ptr()
    assert per_level.cls_convs[0].weight.data_ptr() != \
        per_level.cls_convs[1].weight.data_ptr()
    assert 3 * count_parameters(shared) == count_parameters(per_level)
    # a shared plain head is FaceAnchorHead's 1x1 convs, once
    plain = MODELS.build(head_cfg(task_convs=False, cross_task=False))
    assert count_parameters(plain) == 16 * 32 + 32
    with pytest.raises(ValueError):
        MODELS.build(head_cfg(task_convs=False, cross_task=True))


def test_smart_head_starts_as_the_plain_head():
    torch.manual_seed(0)
    smart = MODELS.build(head_cfg(cross_task=False, share_levels=False))
    smart.init_weights()
    plain = FaceAnchorHead(in_channels=16)
    plain.load_state_dict(smart.state_dict(), strict=False)
    feats = [torch.rand(1, 16, s, s) for s in (4, 2, 1)]  # non-negative
    with torch.no_grad():
        for a, b in zip(smart(feats), plain(feats)):
            for x, y in zip(a, b):
                torch.testing.assert_close(x, y)


# -------------------------------------------------------------------- neck
def v2_neck(cbam_reduction=64, num_stages=1, share=True, groups=8,
            fusion_node='WeightedFusion', proj_groups=1, **stages):
    """A FeatherFaceNeck of V2's layout with ``stages`` (None = off)."""
    attention = dict(type='CBAM', reduction=cbam_reduction)
    cfg = dict(
        out_channels=32,
        backbone_attention=attention,
        fusion=dict(type='BiFPNUltra', num_cells=2, proj_groups=proj_groups,
                    fusion_cfg=dict(type=fusion_node)),
        fusion_attention=dict(type='CBAMCascade', num_stages=num_stages,
                              share=share, reduction=cbam_reduction),
        context=dict(type='FaceSSH', conv_cfg=None, groups=groups),
        shuffle_block=None)
    cfg.update(stages)
    return FeatherFaceNeck(**cfg)


REUSE = dict(type='FeatureReuse', weight=0.1)
GATE = dict(type='DynamicGate', hidden=4)


def enhance(rounds):
    return dict(type='ProgressiveEnhancement', rounds=rounds, alpha=0.1,
                shuffle_groups=2)


def test_v2_neck_switches_and_costs():
    feats = backbone_feats(batch=1, size=(8, 8))
    plain = v2_neck()
    assert plain.feature_reuse is None and plain.context_gates is None
    assert plain.enhancement is None and plain.channel_shuffle is None
    shapes = [(1, 32, 8, 8), (1, 32, 4, 4), (1, 32, 2, 2)]
    assert [tuple(o.shape) for o in plain(feats)] == shapes

    def cost(**switch):
        return count_parameters(v2_neck(**switch)) - count_parameters(plain)

    assert cost(feature_reuse=REUSE) == 0
    assert cost(enhancement=enhance(3)) == 0
    assert cost(num_stages=3, share=True) == 0
    assert cost(num_stages=3, share=False) == 2 * 3 * 197
    assert 0 < cost(context_gate=GATE) < 1000
    assert cost(fusion_node='AdaptiveFusion') > 0
    assert cost(groups=1) > 0

    full = v2_neck(fusion_node='AdaptiveFusion', num_stages=3,
                   feature_reuse=REUSE, context_gate=GATE,
                   enhancement=enhance(2), proj_groups=2)
    outs = full(feats)
    assert [tuple(o.shape) for o in outs] == shapes
    sum(o.sum() for o in outs).backward()
    for p in (full.context_gates[0].fc1.weight,
              full.bifpn.cells[1].fuse_p4_out.context.weight,
              full.bifpn_cbam[2].stages[0].channel_gate.fc1.weight,
              full.ssh[1].conv3x3.conv.weight):
        assert p.grad is not None and p.grad.abs().sum() > 0
    # each switch changes the output of the network
    torch.manual_seed(1)
    ref = v2_neck(num_stages=3).eval()
    for switch in (dict(feature_reuse=REUSE), dict(enhancement=enhance(2)),
                   dict(num_stages=1)):
        kwargs = dict(num_stages=3)
        kwargs.update(switch)
        other = v2_neck(**kwargs).eval()
        other.load_state_dict(ref.state_dict(), strict=False)
        with torch.no_grad():
            assert (other(feats)[0] - ref(feats)[0]).abs().max() > 1e-5


def test_context_per_level_configs():
    """A list of context configs builds one module per level: a dense SSH
    at stride 8 only, the others as one config would build them."""
    ssh = dict(type='FaceSSH', conv_cfg=None, groups=8)
    neck = v2_neck(context=[dict(ssh, groups=1), ssh, ssh])
    plain = v2_neck()
    assert [m.conv3x3.conv.groups for m in neck.ssh] == [1, 8, 8]
    dense, grouped = (count_parameters(neck.ssh[i]) for i in (0, 1))
    assert grouped == count_parameters(plain.ssh[0])
    assert count_parameters(neck) - count_parameters(plain) == \
        dense - grouped > 0
    outs = neck(backbone_feats(batch=1, size=(8, 8)))
    assert [o.shape[1] for o in outs] == [32, 32, 32]
    with pytest.raises(ValueError, match='2 per-level configs for 3 levels'):
        v2_neck(context=[ssh, ssh])


def test_neck_norm_cfg_reaches_attention_and_fusion():
    fast = dict(type='BN', momentum=0.1)
    neck = FeatherFaceNeck(
        out_channels=32,
        backbone_attention=dict(type='CBAM', norm_cfg=fast),
        fusion=dict(type='BiFPNUltra', num_cells=1, norm_cfg=fast),
        fusion_attention=dict(type='CBAMCascade', num_stages=2,
                              norm_cfg=fast),
        context=dict(type='FaceSSH', groups=8))
    bns = [m for name, m in neck.named_modules()
           if isinstance(m, torch.nn.BatchNorm2d)
           and not name.startswith('ssh')]
    assert bns and all(bn.momentum == 0.1 for bn in bns)
    # the defaults are the reference's 0.01
    assert CBAM(8).spatial_gate.bn.momentum == 0.01
    assert BiFPNUltra(out_channels=8, num_cells=1).in_projs[0].bn.momentum \
        == 0.01


@pytest.mark.parametrize('path', [V2, ULTRA])
def test_legacy_v2_neck_configs_build_the_same_neck(path):
    """Configs dumped before the configurable neck (flat switches of
    FeatherFaceV2Neck) build the same modules, so their checkpoints load."""
    legacy = dict(type='FeatherFaceV2Neck', out_channels=32,
                  num_bifpn_cells=2, ssh_groups=8)
    if path == ULTRA:
        legacy.update(proj_groups=2, cbam_reduction=64, adaptive_fusion=True,
                      attention_stages=3, feature_reuse=True,
                      dynamic_gate=True, use_channel_shuffle=False,
                      enhancement_rounds=2)
    init_default_scope('mmdet')
    with pytest.warns(DeprecationWarning):
        old = MODELS.build(legacy)
    new = MODELS.build(student_cfg(path).neck)
    assert type(old) is type(new)
    assert str(old) == str(new)
    new.load_state_dict(old.state_dict(), strict=True)


def test_param_groups_of_the_new_modules():
    model = build(ULTRA)
    table = param_table(model)
    neck = model.neck
    assert table['attention'] == count_parameters(neck.backbone_cbam) + count_parameters(
        neck.bifpn_cbam)
    assert table['fusion'] == count_parameters(neck.bifpn)
    assert table['context'] == count_parameters(neck.ssh)
    assert table['extras'] == count_parameters(neck.context_gates)
    assert table['heads'] == count_parameters(model.bbox_head)
    assert sum(table.values()) == count_parameters(model)


# ------------------------------------------------------------------ models
def test_v2_and_ultra_sizes():
    v2, ultra = build(V2), build(ULTRA)
    assert count_parameters(v2.backbone) == count_parameters(ultra.backbone) == \
        BACKBONE_PARAMS
    assert count_parameters(v2) == 254179
    assert count_parameters(ultra) == 244031
    assert count_parameters(ultra) <= 250000
    # backbone feature maps match V1's one to one (distillation)
    assert tuple(ultra.neck.in_channels) == (64, 128, 256)
    # the ideas are on in Ultra and off in V2
    assert ultra.neck.feature_reuse is not None
    assert ultra.neck.enhancement is not None
    assert ultra.neck.context_gates is not None
    assert ultra.neck.bifpn_cbam[0].num_stages == 3
    assert isinstance(ultra.neck.bifpn.cells[0].fuse_p3_out, AdaptiveFusion)
    assert isinstance(ultra.bbox_head, SmartFaceHead)
    assert ultra.bbox_head.cross_convs is not None
    assert v2.neck.feature_reuse is None and v2.neck.enhancement is None
    assert v2.bbox_head.cross_convs is None
    assert isinstance(v2.neck.bifpn.cells[0].fuse_p3_out, WeightedFusion)


def test_ultra_predicts_landmarks():
    model = build(ULTRA).eval()
    from mmdet.structures import DetDataSample
    sample = DetDataSample(metainfo=dict(
        img_shape=(64, 96), ori_shape=(64, 96), scale_factor=(1., 1.),
        pad_shape=(64, 96), batch_input_shape=(64, 96)))
    with torch.no_grad():
        result = model.predict(torch.randn(1, 3, 64, 96) * 50, [sample])[0]
    pred = result.pred_instances
    assert pred.keypoints.shape[1:] == (5, 2)
    assert len(pred.bboxes) == len(pred.scores) == len(pred.keypoints)
