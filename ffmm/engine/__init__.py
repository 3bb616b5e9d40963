"""Training-loop extensions (hooks) of ffmm."""
from .hooks import *  # noqa: F401,F403
from .fast_resume_loop import FastResumeIterBasedTrainLoop  # noqa: F401
from .scaled_iter_loop import ScaledIterBasedTrainLoop  # noqa: F401
