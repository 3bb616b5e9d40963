"""Training-loop extensions (hooks) of ffmm."""
from .hooks import *  # noqa: F401,F403
from .scaled_iter_loop import ScaledIterBasedTrainLoop  # noqa: F401
