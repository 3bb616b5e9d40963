"""Task losses of trained detectors on a recipe's training batches.

A student whose training loss has stopped falling may have fitted what the
objective can see or be short of capacity; the loss of a stronger model
(the teacher) on the very same augmented batches tells the two apart
(README, "Why the students trail V1")."""
import copy

import torch

TASK_LOSSES = ('loss_cls', 'loss_bbox', 'loss_ldm')


def training_batches(recipe_cfg, num_batches, batch_size=None, seed=0):
    """The first ``num_batches`` batches of the recipe's
    ``train_dataloader`` (its pipeline and crops, drawn with ``seed``),
    loaded in this process."""
    from mmengine.runner import Runner, set_random_seed

    # the crops are drawn in this process (no workers): seed its generators
    set_random_seed(seed)
    loader_cfg = copy.deepcopy(recipe_cfg.train_dataloader)
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    if batch_size is not None:
        loader_cfg.batch_size = batch_size
    loader = Runner.build_dataloader(loader_cfg, seed=seed)
    batches = []
    for batch in loader:
        batches.append(batch)
        if len(batches) == num_batches:
            break
    if not batches:
        raise ValueError('the recipe\'s train_dataloader yields no batch '
                         f'(dataset {loader_cfg.dataset.get("ann_file")})')
    return batches


def mean_task_losses(model, batches):
    """``{loss name: mean over batches}`` of ``model``'s task losses, BN
    and dropout in inference mode (the trained model as it is tested)."""
    model.eval()
    totals = {}
    with torch.no_grad():
        for batch in batches:
            data = model.data_preprocessor(batch, True)
            losses = model.loss(data['inputs'], data['data_samples'])
            for name in TASK_LOSSES:
                if name in losses:
                    value = losses[name]
                    if isinstance(value, (list, tuple)):
                        value = sum(value)
                    totals[name] = totals.get(name, 0.) + float(value)
    return {name: total / len(batches) for name, total in totals.items()}
