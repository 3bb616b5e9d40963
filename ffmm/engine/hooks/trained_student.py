"""The model a training hook acts on: the student of a distiller."""
from mmengine.model import is_model_wrapper


def trained_student(runner):
    """``runner.model`` without its DDP wrapper, or its ``student`` when it
    is a distiller."""
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    return getattr(model, 'student', model)
