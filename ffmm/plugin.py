"""The import target of MMDetection configs: importing this module registers
ffmm (``register_all_modules(init_default_scope=False)``).

``configs/_base_/default_runtime.py`` says
``custom_imports = dict(imports=['ffmm.plugin'])``; every entry point that
reads a config (mmdet's and ffmm's tools, ``init_detector``,
``DetInferencer``, launchers) imports its ``custom_imports``, and an import
is the only hook a config offers. Keeping that side effect in this one
module, named for it, lets ``import ffmm`` (and the submodules a library
user imports) stay free of registration and patching. The scope is left to
the entry point, which sets the config's ``default_scope``.
"""
from .utils.setup_env import register_all_modules

register_all_modules(init_default_scope=False)
