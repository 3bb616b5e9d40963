# The team's WIDER FACE val splits (../shared/widerface_val, see its README):
# `train` (1,283 images) for training and `dev` (309 images) for validation
# and testing, both in the official wider_face_*_bbx_gt.txt format (boxes
# only: WIDER val has no landmarks, so every face's landmarks are absent).
# Evaluation is the official protocol (original size, easy/medium/hard keep
# lists of the official .mat files) restricted to the split's images.
# A further held-out split of WIDER val is not shared.
#
# Other locations (e.g. the full data set laid out the same way):
#   --cfg-options train_dataloader.dataset.data_root=DIR \
#       val_dataloader.dataset.data_root=DIR \
#       test_dataloader.dataset.data_root=DIR \
#       val_evaluator.gt_dir=GT test_evaluator.gt_dir=GT \
#       val_evaluator.subset=FILE test_evaluator.subset=FILE
_base_ = './widerface.py'

data_root = '../shared/widerface_val/'
widerface_gt_dir = '../shared/widerface_gt/'
train_split = 'train'
eval_split = 'dev'

train_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file=f'wider_face_{train_split}_bbx_gt.txt',
        data_prefix=dict(img='images/')))
val_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file=f'wider_face_{eval_split}_bbx_gt.txt',
        data_prefix=dict(img='images/')))
test_dataloader = val_dataloader

val_evaluator = dict(
    type='WIDERFaceMetric',
    gt_dir=widerface_gt_dir,
    subset=f'{data_root}split_{eval_split}.txt')
test_evaluator = val_evaluator
