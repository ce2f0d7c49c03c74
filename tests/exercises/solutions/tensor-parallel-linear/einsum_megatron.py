import torch
import torch.distributed as dist


class Megatron:
    """Megatron's two conjugate operators."""

    class f(torch.autograd.Function):  # noqa: N801 (the paper's name)
        @staticmethod
        def forward(ctx, tensor):
            return tensor.clone()

        @staticmethod
        def backward(ctx, grad):
            total = grad.contiguous().clone()
            dist.all_reduce(total)
            return total

    class g(torch.autograd.Function):  # noqa: N801
        @staticmethod
        def forward(ctx, tensor):
            total = tensor.contiguous().clone()
            dist.all_reduce(total)
            return total

        @staticmethod
        def backward(ctx, grad):
            return grad.clone()


def tensor_parallel_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    # einsums, the exact GELU written with erf
    xs = Megatron.f.apply(x)
    pre = torch.einsum("nd,hd->nh", xs, w1_shard) + b1_shard
    hidden = 0.5 * pre * (1 + torch.erf(pre / 2 ** 0.5))
    partial = torch.einsum("nh,dh->nd", hidden, w2_shard)
    return Megatron.g.apply(partial) + b2
