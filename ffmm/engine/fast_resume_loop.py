"""An iteration-based train loop that resumes without re-loading the data
it skips.

On ``--resume`` mmengine's ``IterBasedTrainLoop`` calls ``next`` on the
dataloader once per finished iteration: every skipped image is read,
augmented and thrown away (upstream: open-mmlab/mmengine#1520). On the
2-core CPU that cost 7 and 14 minutes before training went on at
iterations 1,000 and 2,400. With a ``DefaultSampler`` the batches of every
epoch are a function of the seed and the epoch alone, so the position of
iteration ``k`` is computed instead: epoch ``k // len(dataloader)``,
batch ``k % len(dataloader)``, and only the rest of that epoch is loaded.

The images and their order are the ones an uninterrupted run sees; the
augmentation draws of the data workers are not (their random state
restarts from the worker seed). Any other sampler falls back to
mmengine's data-loading advance, with a log line saying so.
"""
import logging

from mmengine.dataset import DefaultSampler
from mmengine.logging import print_log
from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import BatchSampler, DataLoader

from mmdet.registry import LOOPS


def skippable_sampler(dataloader):
    """The ``DefaultSampler`` whose batches can be recomputed, or None."""
    batch_sampler = getattr(dataloader, 'batch_sampler', None)
    if type(batch_sampler) is not BatchSampler:
        return None
    sampler = batch_sampler.sampler
    return sampler if isinstance(sampler, DefaultSampler) else None


def _partial_epoch_loader(dataloader, batches):
    """A one-pass loader over ``batches`` (lists of indices) with the
    dataset, collate and worker settings of ``dataloader``."""
    return DataLoader(
        dataloader.dataset,
        batch_sampler=batches,
        num_workers=dataloader.num_workers,
        collate_fn=dataloader.collate_fn,
        pin_memory=dataloader.pin_memory,
        worker_init_fn=dataloader.worker_init_fn,
        generator=dataloader.generator)


class _ResumedDataloaderIterator(_InfiniteDataloaderIterator):
    """Answers the loop's ``skip`` calls with None at no cost, then goes on
    from the computed position; later epochs use the run's dataloader."""

    def __init__(self, dataloader, sampler, skip):
        self._dataloader = dataloader
        self._skip = skip
        self._epoch, self.offset = divmod(skip, len(dataloader))
        sampler.set_epoch(self._epoch)
        rest = list(dataloader.batch_sampler)[self.offset:]
        self._iterator = iter(_partial_epoch_loader(dataloader, rest))

    def __next__(self):
        if self._skip > 0:
            self._skip -= 1
            return None
        return super().__next__()


@LOOPS.register_module()
class FastResumeIterBasedTrainLoop(IterBasedTrainLoop):
    """``IterBasedTrainLoop`` whose ``--resume`` computes where the data
    stream was instead of loading every skipped batch (see module doc)."""

    def run(self):
        sampler = skippable_sampler(self.dataloader)
        if self._iter > 0 and sampler is not None:
            resumed = _ResumedDataloaderIterator(self.dataloader, sampler,
                                                 self._iter)
            print_log(
                f'resume: iteration {self._iter} is batch {resumed.offset} '
                f'of epoch {resumed._epoch}; the skipped batches are not '
                'loaded', logger='current')
            self.dataloader_iterator = resumed
        elif self._iter > 0:
            print_log(
                'resume: the sampler is not a DefaultSampler with a plain '
                'BatchSampler, so the skipped batches are loaded (slow)',
                logger='current', level=logging.WARNING)
        return super().run()
