"""Only weight matrices are all-reduced; the bias gradients stay per-rank.

fact: the bias parameters are wrong after the step (the weights right)
named_if: bias
"""
import torch.distributed as dist
import torch.nn.functional as F


def data_parallel_step(model, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    world = dist.get_world_size()
    for p in model.parameters():
        if p.grad is not None and p.dim() > 1:
            dist.all_reduce(p.grad)
            p.grad /= world
    optimizer.step()
    return loss.item()
