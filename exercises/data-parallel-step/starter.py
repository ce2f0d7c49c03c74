import torch


def data_parallel_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer,
                       inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """One data-parallel training step, run by every rank at the same time.

    The process group is already initialized (gloo); every rank holds an identical replica of
    `model` and its own `optimizer`, and gets its own equal-sized shard of the batch: inputs
    (B / world_size, d), targets (B / world_size,) class indices. Compute the mean
    cross-entropy of model(inputs) on the shard, back-propagate, make every rank's gradients
    the full-batch gradients with torch.distributed, then step. Return this rank's shard loss
    (before the step) as a float. Do not use DistributedDataParallel.
    """
    raise NotImplementedError("write the data-parallel step")
