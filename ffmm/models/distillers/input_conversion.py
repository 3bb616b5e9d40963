"""Re-normalising the student's input for a teacher that normalises
differently (other mean/std, BGR instead of RGB)."""
import torch


def normalisation_of(preprocessor):
    """(mean, std, channel_swap) of a data preprocessor."""
    if getattr(preprocessor, '_enable_normalize', False):
        mean = preprocessor.mean.flatten().float()
        std = preprocessor.std.flatten().float()
    else:
        mean, std = torch.zeros(3), torch.ones(3)
    return mean, std, bool(getattr(preprocessor, '_channel_conversion',
                                   False))


def input_converter(student_preprocessor, teacher_preprocessor):
    """A function mapping the student's normalised input to the teacher's
    normalisation, or None when both normalise identically (the teacher
    then sees the student's batch as is)."""
    ms, ss, swap_s = normalisation_of(student_preprocessor)
    mt, st, swap_t = normalisation_of(teacher_preprocessor)
    if (swap_s == swap_t and ms.shape == mt.shape and torch.equal(ms, mt)
            and torch.equal(ss, st)):
        return None

    def convert(x):
        shape = (1, -1, 1, 1)
        raw = x * ss.to(x).view(shape) + ms.to(x).view(shape)
        if swap_s != swap_t:
            raw = raw.flip(1)
        return (raw - mt.to(x).view(shape)) / st.to(x).view(shape)

    return convert
