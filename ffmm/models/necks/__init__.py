from .retinaface_neck import RetinaFaceNeck
from .featherface_neck import FeatherFaceNeck
