import torch.distributed as dist
import torch.nn.functional as F


def data_parallel_step(model, optimizer, inputs, targets) -> float:
    """One data-parallel step on this rank's shard: local gradients, averaged over ranks, then step."""
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)  # mean over this rank's shard
    loss.backward()
    world_size = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)  # every rank now holds the same sum
            p.grad /= world_size  # mean of equal-sized shard means = the full-batch mean
    optimizer.step()  # identical gradients and states: the replicas stay identical
    return loss.item()
