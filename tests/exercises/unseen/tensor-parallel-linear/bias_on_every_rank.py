"""b2 is added to each rank's partial output before the all-reduce, so y gets b2 once per rank.

fact: y is the reference plus b2 (an additive offset of b2, world_size - 1 times); the gradients are right
named_if: b2|bias|offset|twice
"""
import torch
import torch.distributed as dist
import torch.nn.functional as F


class CopyToParallel(torch.autograd.Function):
    """f: identity forward, all-reduce backward."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


class ReduceFromParallel(torch.autograd.Function):
    """g: all-reduce forward, identity backward."""

    @staticmethod
    def forward(ctx, y):
        y = y.clone()
        dist.all_reduce(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        return grad


def tensor_parallel_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    h = F.gelu(CopyToParallel.apply(x) @ w1_shard.t() + b1_shard)
    return ReduceFromParallel.apply(h @ w2_shard.t() + b2)
