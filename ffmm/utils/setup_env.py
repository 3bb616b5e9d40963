"""Registering ffmm into MMDetection, explicitly (as MMYOLO's ``setup_env``).

``import ffmm`` has no side effects. A process opts in with
:func:`register_all_modules`: our tools call it first thing, tests from
``tests/conftest.py``, and configs through ``custom_imports =
dict(imports=['ffmm.plugin'])`` (``configs/_base_/default_runtime.py``), which
is how MMDetection's own entry points get it.
"""
import datetime
import warnings

from mmengine import DefaultScope

# ffmm registers into mmdet's registries, so its scope is mmdet's
SCOPE = 'mmdet'


def enable_compatibility():
    """Apply the compatibility fixes every ffmm process relies on
    (idempotent); each module's docstring says why it is needed.

    * torch>=2.6 safe loading of mmengine checkpoints (``checkpoint_compat``);
    * mmengine's launchers on CPU-only machines (``dist_compat``);
    * ``--cfg-options teacher_ckpt=PATH`` under every entry point
      (``config_compat``);
    * landmarks in ``mmdet.apis.DetInferencer`` results
      (``ffmm.apis.det_inferencer_landmarks``).
    """
    from ..apis.det_inferencer_landmarks import enable_inferencer_landmarks
    from .checkpoint_compat import allow_mmengine_checkpoint_globals
    from .config_compat import enable_teacher_ckpt_option
    from .dist_compat import enable_cpu_distributed
    allow_mmengine_checkpoint_globals()
    enable_cpu_distributed()
    enable_teacher_ckpt_option()
    enable_inferencer_landmarks()


def register_all_modules(init_default_scope: bool = True) -> None:
    """Register mmdet's and ffmm's modules into mmdet's registries and apply
    :func:`enable_compatibility` (idempotent).

    Args:
        init_default_scope (bool): also make ``mmdet`` the current default
            scope, as ``mmdet.utils.register_all_modules`` does, so that
            registries built from outside a Runner find our modules. Config
            imports pass False: the Runner sets the config's own scope.
    """
    import mmdet.datasets  # noqa: F401,F811
    import mmdet.engine  # noqa: F401,F811
    import mmdet.evaluation  # noqa: F401,F811
    import mmdet.models  # noqa: F401,F811
    import mmdet.visualization  # noqa: F401,F811

    import ffmm.datasets  # noqa: F401,F811
    import ffmm.deploy  # noqa: F401,F811
    import ffmm.engine  # noqa: F401,F811
    import ffmm.evaluation  # noqa: F401,F811
    import ffmm.models  # noqa: F401,F811
    import ffmm.visualization  # noqa: F401,F811
    enable_compatibility()
    if init_default_scope:
        _init_default_scope()


def _init_default_scope():
    """Make ``mmdet`` the current scope: created once, or a fresh instance
    with a warning when another scope is current (MMYOLO's rule)."""
    current = DefaultScope.get_current_instance()
    if current is None or not DefaultScope.check_instance_created(SCOPE):
        DefaultScope.get_instance(SCOPE, scope_name=SCOPE)
        return
    if current.scope_name != SCOPE:
        warnings.warn(f'the current default scope {current.scope_name!r} is '
                      f'not {SCOPE!r}; register_all_modules makes a new '
                      f'{SCOPE!r} scope current')
        name = f'{SCOPE}-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name=SCOPE)
