from .latency import make_torch_runner, time_runs, timed
from .model_summary import (build_from_config, count_parameters,
                            deform_conv_flops, param_table, summarize)

__all__ = [
    'build_from_config', 'count_parameters', 'deform_conv_flops',
    'param_table', 'summarize', 'make_torch_runner', 'time_runs', 'timed'
]
