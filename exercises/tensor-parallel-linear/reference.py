import torch
import torch.distributed as dist
import torch.nn.functional as F


class CopyToParallel(torch.autograd.Function):
    """Megatron's f: identity forward; all-reduce the gradient backward (every rank used x)."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)  # sum of the ranks' partial dL/dx
        return grad


class ReduceFromParallel(torch.autograd.Function):
    """Megatron's g: all-reduce forward (sum the partial outputs); identity backward."""

    @staticmethod
    def forward(ctx, partial):
        total = partial.clone()
        dist.all_reduce(total)  # the one all-reduce of the forward
        return total

    @staticmethod
    def backward(ctx, grad):
        return grad  # every rank already holds the full dL/dy


def tensor_parallel_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    """This rank's part of y = gelu(x W1ᵀ + b1) W2ᵀ + b2: W1 split by rows (column-parallel),
    W2 by columns (row-parallel); returns the full y on every rank."""
    x = CopyToParallel.apply(x)                         # (N, d)
    h = F.gelu(x @ w1_shard.T + b1_shard)               # (N, d_ff / world): no communication
    y = ReduceFromParallel.apply(h @ w2_shard.T)        # (N, d): partial sums, all-reduced
    return y + b2                                       # the bias once, after the sum
