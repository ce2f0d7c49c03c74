"""Returns the all-reduced (full-batch) loss instead of this rank's shard loss.

fact: the returned loss is wrong (the parameters are right)
named_if: loss
"""
import torch.distributed as dist
import torch.nn.functional as F


def data_parallel_step(model, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)
            p.grad /= world
    optimizer.step()
    total = loss.detach().clone()
    dist.all_reduce(total)
    return (total / world).item()
