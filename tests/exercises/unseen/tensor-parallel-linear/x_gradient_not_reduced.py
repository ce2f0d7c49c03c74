r"""Only g is written: x enters the first layer directly, so its gradient is never all-reduced.

fact: only the gradient of x is wrong (each rank's part, no all-reduce in the backward)
named_if: gradient of x|x.{0,30}gradient|grad.{0,20}\bx\b|backward
"""
import torch
import torch.distributed as dist
import torch.nn.functional as F


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
    h = F.gelu(x @ w1_shard.t() + b1_shard)
    return ReduceFromParallel.apply(h @ w2_shard.t()) + b2
