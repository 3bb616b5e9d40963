# A few CPU minutes on the embedded mini set: iteration based, AdamW,
# linear warm-up then cosine, one evaluation at the end. Includes the
# runtime so the logging/checkpoint hooks can follow iterations.
# ScaledIterBasedTrainLoop: `--cfg-options train_cfg.max_iters=N` rescales
# warm-up, cosine, and the end-of-run validation and checkpoint to N.
_base_ = '../default_runtime.py'

max_iters = 150
warmup_iters = 20
train_cfg = dict(
    type='ScaledIterBasedTrainLoop', max_iters=max_iters,
    val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=warmup_iters,
         end=max_iters, eta_min=1e-5),
]
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=2))
# FeatherFace's reference BN momentum (0.01) is too slow for so few
# iterations: its mini configs set 0.1 in the model's norm_cfg.
log_processor = dict(by_epoch=False)
