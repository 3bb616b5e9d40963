from .retinaface_neck import RetinaFaceNeck
from .featherface_neck import FeatherFaceNeck
from .legacy_v2_neck import FeatherFaceV2Neck
