"""Knowledge distillation of face detectors, the MMRazor way: the
algorithm (``FaceDistiller``), teacher loading, recorders, connectors and
the configurable distiller that maps records to losses."""
from .configurable_distiller import FaceConfigurableDistiller
from .connectors import ConvConnector
from .face_distiller import FaceDistiller
from .recorders import (FaceHeadOutputsRecorder, ModuleOutputsRecorder,
                        RecorderManager)
from .teacher_loading import TeacherCheckpointError, load_teacher

__all__ = [
    'FaceDistiller', 'FaceConfigurableDistiller', 'ConvConnector',
    'ModuleOutputsRecorder', 'FaceHeadOutputsRecorder', 'RecorderManager',
    'TeacherCheckpointError', 'load_teacher'
]
