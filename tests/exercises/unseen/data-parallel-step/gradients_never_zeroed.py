"""No zero_grad: the second call's gradients include the first call's.

fact: the first call is right, the second call onward is wrong (state kept between calls)
named_if: first (call|item).*(right|pass)|from the second|state|first 1 entry is right
"""
import torch.distributed as dist
import torch.nn.functional as F


def data_parallel_step(model, optimizer, inputs, targets):
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad)
            p.grad /= world
    optimizer.step()
    return loss.item()
