import torch
import torch.distributed as dist
import torch.nn.functional as F


class _SumOverRanks(torch.autograd.Function):
    @staticmethod
    def forward(ctx, partial):
        out = partial.detach().clone()
        dist.all_reduce(out, op=dist.ReduceOp.SUM)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def tensor_parallel_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    # f as a gradient hook on a copy of x instead of an autograd.Function; F.linear for the matmuls
    x_local = x * 1.0
    if x_local.requires_grad:
        def reduce_grad(grad):
            grad = grad.clone()
            dist.all_reduce(grad)
            return grad
        x_local.register_hook(reduce_grad)
    hidden = F.gelu(F.linear(x_local, w1_shard, b1_shard))
    return _SumOverRanks.apply(F.linear(hidden, w2_shard)) + b2
