"""Reference runs of configs/featherface/wider_split/ that are not students:
they train another architecture by a student's recipe, changing nothing
else."""
import os.path as osp

from mmengine.config import Config

from ffmm.analysis import count_parameters

from .test_wider_split_recipes import (assert_same_training, build, cfg_of,
                                       plain)
from ..conftest import REPO


def test_retinaface_reference_is_retinaface_trained_by_the_control_recipe():
    control, ref = cfg_of('ffv2_ultra_nokd_cpu'), cfg_of('retinaface_nokd_cpu')
    assert ref.model.teachers == []
    assert_same_training(ref, control)
    ref_student, control_student = (plain(c.model.student)
                                    for c in (ref, control))
    for student in (ref_student, control_student):
        student.pop('neck')
        student.pop('bbox_head')
    assert ref_student == control_student  # backbone init included

    retinaface = Config.fromfile(osp.join(
        REPO, 'configs/retinaface/retinaface_mnet025_widerface.py'))
    models = [build(m) for m in (ref.model.student, retinaface.model)]
    shapes = [{k: tuple(v.shape) for k, v in m.state_dict().items()}
              for m in models]
    assert shapes[0] == shapes[1]  # the public checkpoint loads strictly
    assert count_parameters(models[0]) == 426608
