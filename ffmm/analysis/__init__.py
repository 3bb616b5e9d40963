from .model_summary import build_from_config, count_parameters, param_table

__all__ = ['build_from_config', 'count_parameters', 'param_table']
