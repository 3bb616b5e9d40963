# A weight average of the trained model (mmdet's ExpMomentumEMA through
# mmengine's EMAHook), as YOLOX / RTMDet train. Validation runs on the
# averaged weights; a checkpoint stores them in `state_dict` (what
# test.py, detect.py and publish_model.py load) and the trained ones in
# `ema_state_dict` (`publish_model.py --raw`), so one run measures both.
# Not a base by itself: a recipe lists it next to its own base and appends
# `_base_.weight_ema_hook` to its custom_hooks. The momentum starts near 1
# and decays to `momentum` with time constant `gamma` iterations; the
# defaults average about the last 500 iterations of a 3,200-iteration run
# (YOLOX's 0.0001 / 2000 are sized for schedules a hundred times longer).
weight_ema_hook = dict(
    type='EMAHook', ema_type='ExpMomentumEMA', momentum=0.002, gamma=400,
    update_buffers=True, priority=49)
