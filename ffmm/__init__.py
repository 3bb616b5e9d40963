"""ffmm: FeatherFace face detectors with landmarks for MMDetection 3.x.

Importing the package has no side effects. Modules are registered into
mmdet's registries, and the compatibility fixes applied, by
``ffmm.utils.register_all_modules()`` (tools, tests) or by a config's
``custom_imports = dict(imports=['ffmm.plugin'])`` (MMDetection's entry
points; ``configs/_base_/default_runtime.py`` has it).
"""
from .version import __version__

__all__ = ['__version__']
