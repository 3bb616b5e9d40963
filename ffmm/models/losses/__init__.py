from .attention_distill_loss import AttentionDistillLoss, spatial_attention
from .feature_distill_loss import FeatureDistillLoss
from .kd_cls_loss import KDClsLoss, two_class_logits
from .kd_loc_loss import KDLocLoss

__all__ = [
    'KDClsLoss', 'KDLocLoss', 'FeatureDistillLoss', 'AttentionDistillLoss',
    'spatial_attention', 'two_class_logits'
]
