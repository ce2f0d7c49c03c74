"""Gradients all-reduced with SUM and never divided by the world size: twice the full-batch gradient.

fact: the first returned loss is right and later calls are wrong; the parameters after the step are wrong
named_if: first (call|item).*(right|pass)|from the second|param
"""
import torch
import torch.distributed as dist
import torch.nn.functional as F


def data_parallel_step(model, optimizer, inputs, targets):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(inputs), targets)
    loss.backward()
    for p in model.parameters():
        if p.grad is not None:
            dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
    optimizer.step()
    return loss.item()
