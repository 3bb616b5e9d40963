"""Training-loop extensions (hooks) of ffmm."""
from .hooks import *  # noqa: F401,F403
