"""Training-recipe options: progressive resize / curriculum hooks (values
change at the right epoch or iteration, also inside dataloader workers),
focal loss, difficulty-aware loss weights."""
import copy
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.runner.loops import _InfiniteDataloaderIterator
from mmengine.structures import InstanceData
from torch.utils.data import DataLoader

import ffmm  # noqa: F401
from ffmm.datasets.transforms import (FaceCurriculumFilter, FaceCutMix,
                                      FaceRandomChoiceResize, FaceResize,
                                      RandomSquareCrop)
from ffmm.engine import (FaceCurriculumHook, ProgressiveResizeHook,
                         iter_transforms)
from mmdet.registry import MODELS

from ..conftest import REPO

CONFIGS = osp.join(REPO, 'configs/retinaface')


pytestmark = pytest.mark.usefixtures('one_thread')


class FakeLogger:

    def __init__(self):
        self.messages = []

    def info(self, msg):
        self.messages.append(msg)

    warning = info


class FakeRunner:
    """What the hooks use of a Runner."""

    def __init__(self, dataset, num_workers=0, loader=None):
        loader = loader or SimpleNamespace(dataset=dataset,
                                           num_workers=num_workers)
        self.train_loop = SimpleNamespace(dataloader=loader)
        self.train_dataloader = loader
        self.epoch = 0
        self.iter = 0
        self.logger = FakeLogger()


def wrapped_dataset():
    """A MultiImageMixDataset-like nesting: outer list, inner Compose."""
    inner = SimpleNamespace(pipeline=Compose([
        dict(type='LoadImageFromFile'),
        RandomSquareCrop(out_size=640),
        FaceResize(scale=(640, 640), keep_ratio=False),
        FaceCurriculumFilter(),
    ]))
    return SimpleNamespace(
        dataset=inner,
        pipeline=[FaceCutMix(),
                  FaceRandomChoiceResize(scale=(640, 640))])


def sizes(dataset):
    out = []
    for t in iter_transforms(dataset):
        if isinstance(t, RandomSquareCrop):
            out.append(t.out_size)
        elif isinstance(t, FaceResize):
            out.append(t.scale)
    return out


def test_iter_transforms_walks_wrappers():
    names = [type(t).__name__ for t in iter_transforms(wrapped_dataset())]
    assert sorted(names) == sorted([
        'FaceCutMix', 'FaceRandomChoiceResize', 'LoadImageFromFile',
        'RandomSquareCrop', 'FaceResize', 'FaceCurriculumFilter'
    ])


def test_progressive_resize_by_epoch():
    dataset = wrapped_dataset()
    runner = FakeRunner(dataset)
    hook = ProgressiveResizeHook(schedule=[(0, 320), (2, 480), (4, 640)])
    hook.before_train(runner)
    seen = []
    for epoch in range(6):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        seen.append(sizes(dataset))
    small, mid, big = ([s, (s, s), (s, s)] for s in (320, 480, 640))
    assert seen == [small, small, mid, mid, big, big]
    assert len(runner.logger.messages) == 3
    assert 'training size 480x480' in runner.logger.messages[1]
    assert 'epoch 2' in runner.logger.messages[1]


def test_progressive_resize_by_iter_and_resume():
    dataset = wrapped_dataset()
    runner = FakeRunner(dataset)
    hook = ProgressiveResizeHook(schedule=[(0, 96), (3, (160, 128))],
                                 by_epoch=False)
    hook.before_train(runner)
    got = []
    for it in range(5):
        # the batch of iteration `it` is produced with these settings
        got.append(sizes(dataset)[1])
        runner.iter = it
        hook.after_train_iter(runner, it)
    assert got == [(96, 96)] * 3 + [(160, 128)] * 2
    assert sizes(dataset)[0] == 160  # the crop takes the longer side
    # resuming at iteration 7 applies the stage in force there at once
    dataset = wrapped_dataset()
    runner = FakeRunner(dataset)
    runner.iter = 7
    ProgressiveResizeHook(schedule=[(0, 96), (3, 128)],
                          by_epoch=False).before_train(runner)
    assert sizes(dataset)[1] == (128, 128)


def test_by_epoch_refused_with_iteration_loop():
    from mmengine.runner import IterBasedTrainLoop
    runner = FakeRunner(wrapped_dataset())
    runner.train_loop = IterBasedTrainLoop.__new__(IterBasedTrainLoop)
    with pytest.raises(ValueError, match='by_epoch=False'):
        ProgressiveResizeHook(schedule=[(0, 96)]).before_train(runner)


class ShapeDataset(torch.utils.data.Dataset):
    """Returns the side a FaceResize of its pipeline gives."""

    def __init__(self):
        self.pipeline = Compose([FaceResize(scale=(32, 32), keep_ratio=False)])

    def __len__(self):
        return 64

    def __getitem__(self, idx):
        out = self.pipeline(dict(img=np.zeros((10, 10, 3), np.uint8)))
        return out['img'].shape[0]


def test_new_size_reaches_persistent_workers():
    loader = DataLoader(ShapeDataset(),
                        batch_size=2,
                        num_workers=1,
                        persistent_workers=True)
    runner = FakeRunner(None, loader=loader)
    runner.train_loop.dataloader_iterator = _InfiniteDataloaderIterator(loader)
    hook = ProgressiveResizeHook(schedule=[(0, 32), (2, 48)], by_epoch=False)
    hook.before_train(runner)
    got = []
    for it in range(4):
        got.append(int(next(runner.train_loop.dataloader_iterator)[0]))
        runner.iter = it
        hook.after_train_iter(runner, it)
    assert got == [32, 32, 48, 48]


def test_curriculum_hook_schedules_filter_thresholds():
    dataset = wrapped_dataset()
    runner = FakeRunner(dataset)
    hook = FaceCurriculumHook(
        schedule=[(0, dict(min_size=24, min_sharpness=20.)
                   ), (3, dict(min_size=16, min_sharpness=None)), (5, 0)])
    filt = next(t for t in iter_transforms(dataset)
                if isinstance(t, FaceCurriculumFilter))
    states = []
    for epoch in range(6):
        runner.epoch = epoch
        hook.before_train_epoch(runner)
        states.append((filt.min_size, filt.min_sharpness, filt.active))
    assert states == [(24, 20., True)] * 3 + [(16, None, True)] * 2 + [
        (0, None, False)
    ]
    with pytest.raises(ValueError, match='unknown keys'):
        FaceCurriculumHook(schedule=[(0, dict(size=3))])


class Recorder(Hook):
    """Records what each training batch looks like."""

    def __init__(self):
        self.shapes, self.gts, self.ignored = [], [], []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.shapes.append({tuple(i.shape[1:]) for i in data_batch['inputs']})
        samples = data_batch['data_samples']
        self.gts.append(sum(len(s.gt_instances) for s in samples))
        self.ignored.append(sum(len(s.ignored_instances) for s in samples))


def test_recipe_config_trains_with_hooks_in_a_runner(mini_widerface, tmp_path):
    cfg = Config.fromfile(
        osp.join(CONFIGS, 'retinaface_mnet025_recipe_mini.py'))
    root = mini_widerface + '/'
    cfg.work_dir = str(tmp_path)
    cfg.model.backbone.init_cfg = None
    loader = cfg.train_dataloader
    loader.update(batch_size=2, num_workers=1, persistent_workers=True)
    loader.dataset.dataset.data_root = root
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.test_dataloader = cfg.test_cfg = cfg.test_evaluator = None
    for t in loader.dataset.pipeline:
        if t.type == 'FaceRandomChoiceResize':
            t.ratios = (1.0, )  # sizes given by the progressive hook only
    cfg.custom_hooks = [
        dict(type='ProgressiveResizeHook',
             by_epoch=False,
             schedule=[(0, 64), (2, 96)]),
        dict(type='FaceCurriculumHook',
             by_epoch=False,
             schedule=[(0, 10**4), (2, 0)]),  # first: every face ignored
    ]
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=4)
    cfg.param_scheduler = []
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook',
                                        interval=100,
                                        save_last=False)
    runner = Runner.from_cfg(cfg)
    recorder = Recorder()
    runner.register_hook(recorder)
    runner.train()
    assert recorder.shapes == [{(64, 64)}] * 2 + [{(96, 96)}] * 2
    assert recorder.gts[:2] == [0, 0] and min(recorder.ignored[:2]) > 0
    assert min(recorder.gts[2:]) > 0 and recorder.ignored[2:] == [0, 0]


# ----------------------------------------------------------------- losses
def build(config, **train_cfg):
    cfg = Config.fromfile(osp.join(CONFIGS, config))
    init_default_scope('mmdet')
    cfg.model.backbone.init_cfg = None
    cfg.model.train_cfg.update(train_cfg)
    torch.manual_seed(0)
    return MODELS.build(cfg.model).train()


def two_faces():
    """A small (10 px) and a large (60 px) face."""
    sample = DetDataSample(
        metainfo=dict(img_shape=(128, 128), pad_shape=(128, 128)))
    boxes = torch.tensor([[10., 10., 20., 20.], [50., 40., 110., 100.]])
    pts = torch.tensor([[.3, .35], [.7, .35], [.5, .55], [.35, .75],
                        [.65, .75]])
    wh = boxes[:, 2:] - boxes[:, :2]
    sample.gt_instances = InstanceData(bboxes=boxes,
                                       labels=torch.zeros(2, dtype=torch.long),
                                       keypoints=pts[None] * wh[:, None] +
                                       boxes[:, None, :2],
                                       keypoints_visible=torch.ones(2, 5))
    return sample


def losses(model, sample, seed=0):
    torch.manual_seed(seed)
    image = torch.randn(1, 3, 128, 128)
    return {
        k: float(v.detach())
        for k, v in model.loss(image, [sample]).items()
    }


def test_focal_loss_config_switches_only_the_classifier_loss():
    cfg = Config.fromfile(osp.join(CONFIGS,
                                   'retinaface_mnet025_focal_mini.py'))
    base = Config.fromfile(osp.join(CONFIGS, 'retinaface_mnet025_mini.py'))
    assert cfg.model.bbox_head.loss_cls.type == 'FocalLoss'
    head, base_head = cfg.model.bbox_head, base.model.bbox_head
    assert {
        k
        for k in set(head) | set(base_head) if head.get(k) != base_head.get(k)
    } == {'loss_cls', 'init_cfg'}
    for key in ('backbone', 'neck', 'train_cfg', 'test_cfg'):
        assert cfg.model[key] == base.model[key], key
    assert cfg.train_dataloader == base.train_dataloader
    model = build('retinaface_mnet025_focal_mini.py')
    model.init_weights()
    head = model.bbox_head
    assert head.use_sigmoid_cls and head.cls_out_channels == 1
    # the focal prior: p(face) = 0.01 at the start
    assert torch.allclose(head.cls_convs[0].bias,
                          torch.full((2, ), -np.log(99.)),
                          atol=1e-4)
    image = torch.randn(1, 3, 128, 128)
    out = model.loss(image, [two_faces()])
    assert set(out) == {'loss_cls', 'loss_bbox', 'loss_ldm'}
    sum(out.values()).backward()
    assert torch.isfinite(out['loss_cls']) and out['loss_cls'] > 0
    assert head.cls_convs[0].weight.grad.abs().sum() > 0


def test_difficulty_weighting_changes_the_loss_only_when_enabled():
    model = build('retinaface_mnet025_mini.py')
    train_cfg = model.bbox_head.train_cfg

    def with_weighting(sample, **cfg):
        train_cfg['difficulty_weight'] = cfg or None
        return losses(model, sample)

    sample = two_faces()
    off = with_weighting(sample)
    assert off == with_weighting(sample)
    on = with_weighting(sample, ref_size=64, power=1.0, max_weight=4.0)
    for key in ('loss_cls', 'loss_bbox', 'loss_ldm'):
        assert on[key] != pytest.approx(off[key], rel=1e-4), key
    # weights all 1 (every face larger than ref_size): the same loss
    assert with_weighting(sample, ref_size=4) == pytest.approx(off, rel=1e-6)
    # one face only: normalised weights are all 1 again
    single = copy.deepcopy(sample)
    single.gt_instances = single.gt_instances[:1]
    assert with_weighting(single,
                          ref_size=64) == pytest.approx(with_weighting(single),
                                                        rel=1e-6)
    # without normalisation the small face raises the loss
    unnorm = with_weighting(sample, ref_size=64, normalize=False)
    assert unnorm['loss_bbox'] > off['loss_bbox']


def test_difficulty_weights_grow_for_small_and_blurred_faces():
    model = build('retinaface_mnet025_mini.py',
                  difficulty_weight=dict(ref_size=64,
                                         power=1.0,
                                         max_weight=4.0,
                                         blur_gain=1.0))
    gt = two_faces().gt_instances
    gt.blur = torch.tensor([0., 1.])
    result = SimpleNamespace(pos_inds=torch.tensor([0, 1, 2]),
                             pos_assigned_gt_inds=torch.tensor([0, 1, 1]))
    w = model.bbox_head._difficulty_weights(gt, result)
    # 10 px: 64 / 10 clamped to 4; 60 px: 64 / 60, doubled by the blur
    torch.testing.assert_close(w, torch.tensor([4., 64 / 60 * 2, 64 / 60 * 2]))
