"""--resume with FastResumeIterBasedTrainLoop: the data stream goes on
exactly where an uninterrupted run would be, without loading the skipped
batches."""
import itertools
import logging
from functools import partial

import pytest
from mmengine.dataset import DefaultSampler, InfiniteSampler
from mmengine.dataset import worker_init_fn as mmengine_worker_init_fn
from mmengine.logging import MMLogger
from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import DataLoader

from ffmm.engine.fast_resume_loop import (FastResumeIterBasedTrainLoop,
                                          _ResumedDataloaderIterator,
                                          skippable_sampler)


@pytest.fixture(autouse=True)
def no_epoch_pause(monkeypatch):
    # mmengine sleeps 2 s at every epoch end of its infinite iterator
    import mmengine.runner.loops as loops
    monkeypatch.setattr(loops.time, 'sleep', lambda seconds: None)


class CountingDataset:
    """Returns its index; counts what was loaded."""

    def __init__(self, size):
        self.size = size
        self.loaded = 0

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        self.loaded += 1
        return index


def make_loader(dataset, num_workers=0, sampler=None):
    sampler = sampler or DefaultSampler(dataset, shuffle=True, seed=7)
    init = partial(mmengine_worker_init_fn, num_workers=num_workers, rank=0,
                   seed=7) if num_workers else None
    return DataLoader(dataset, batch_size=3, sampler=sampler,
                      num_workers=num_workers, collate_fn=list,
                      worker_init_fn=init)


def stream(iterator, count):
    return [next(iterator) for _ in range(count)]


@pytest.mark.parametrize('skip', [0, 2, 4, 11])
def test_resumed_stream_matches_the_uninterrupted_one(skip):
    # 10 samples in batches of 3: 4 batches per epoch (the last one of 1)
    reference = stream(_InfiniteDataloaderIterator(
        make_loader(CountingDataset(10))), skip + 9)

    dataset = CountingDataset(10)
    loader = make_loader(dataset)
    resumed = _ResumedDataloaderIterator(loader, skippable_sampler(loader),
                                         skip)
    assert stream(resumed, skip) == [None] * skip
    assert dataset.loaded == 0
    rest = stream(resumed, 9)
    assert rest == reference[skip:]
    assert dataset.loaded == sum(map(len, rest))  # nothing skipped was read


def test_resumed_stream_with_data_workers():
    reference = stream(_InfiniteDataloaderIterator(
        make_loader(CountingDataset(10), num_workers=2)), 14)
    loader = make_loader(CountingDataset(10), num_workers=2)
    resumed = _ResumedDataloaderIterator(loader, skippable_sampler(loader), 5)
    assert stream(resumed, 14)[5:] == reference[5:]


def test_other_samplers_keep_the_loading_advance():
    dataset = CountingDataset(10)
    assert skippable_sampler(make_loader(
        dataset, sampler=InfiniteSampler(dataset, seed=7))) is None
    assert skippable_sampler(make_loader(dataset)) is not None


class FakeRunner:
    model = None

    def call_hook(self, name, **kwargs):
        pass


def test_loop_positions_the_data_on_resume():
    dataset = CountingDataset(10)
    loop = FastResumeIterBasedTrainLoop.__new__(FastResumeIterBasedTrainLoop)
    loop._runner = FakeRunner()
    loop.dataloader = make_loader(dataset)
    loop.dataloader_iterator = _InfiniteDataloaderIterator(loop.dataloader)
    loop._iter, loop._max_iters = 6, 6  # resumed at the end: no training
    loop.stop_training = False
    dataset.loaded = 0
    logger = MMLogger.get_current_instance()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        loop.run()
    finally:
        logger.removeHandler(handler)
    assert dataset.loaded == 0
    assert any('batch 2 of epoch 1' in r.getMessage() for r in records)
    assert isinstance(loop.dataloader_iterator, _ResumedDataloaderIterator)
    # the next batch is the 7th of the uninterrupted stream
    reference = _InfiniteDataloaderIterator(make_loader(CountingDataset(10)))
    assert next(loop.dataloader_iterator) == next(
        itertools.islice(reference, 6, None))
