"""ChannelsLastDetDataPreprocessor: the same losses from an NHWC batch."""
import pytest
import torch
from mmengine.registry import init_default_scope

import ffmm  # noqa: F401
from mmdet.registry import MODELS

from .test_face_distiller import build_distiller, make_batch, teacher_model_cfg

pytestmark = pytest.mark.usefixtures('one_thread')


def _preprocessor_cfg(kind):
    cfg = dict(teacher_model_cfg().data_preprocessor)
    cfg['type'] = kind
    return cfg


def test_batch_is_channels_last_with_the_same_values():
    init_default_scope('mmdet')
    plain = MODELS.build(_preprocessor_cfg('DetDataPreprocessor'))
    nhwc = MODELS.build(_preprocessor_cfg('ChannelsLastDetDataPreprocessor'))
    a = plain(make_batch(2), True)['inputs']
    b = nhwc(make_batch(2), True)['inputs']
    assert not a.is_contiguous(memory_format=torch.channels_last)
    assert b.is_contiguous(memory_format=torch.channels_last)
    assert torch.equal(a, b)


def test_distillation_losses_match(tmp_path):
    init_default_scope('mmdet')
    torch.manual_seed(123)
    teacher = MODELS.build(teacher_model_cfg())
    for conv in teacher.bbox_head.cls_convs:  # confident somewhere
        conv.bias.data[0::2] += 2.0
    ckpt = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict=teacher.state_dict()), ckpt)

    losses = {}
    for kind in ('DetDataPreprocessor', 'ChannelsLastDetDataPreprocessor'):
        torch.manual_seed(0)
        model = build_distiller(ckpt,
                                data_preprocessor=_preprocessor_cfg(kind))
        model.train()
        data = model.data_preprocessor(make_batch(2), True)
        losses[kind] = model.loss(data['inputs'], data['data_samples'])
    plain, nhwc = losses.values()
    assert plain.keys() == nhwc.keys()
    assert any(k.startswith('loss_kd') for k in plain)
    for k, v in plain.items():
        v = sum(v) if isinstance(v, (list, tuple)) else v
        w = nhwc[k]
        w = sum(w) if isinstance(w, (list, tuple)) else w
        assert torch.allclose(v, w, rtol=1e-4, atol=1e-5), k
