"""Classic wrong tensor-parallel MLPs, each with the diagnosis it earns."""

import torch
import torch.distributed as dist
import torch.distributed.nn.functional as dist_nn
import torch.nn.functional as F

from llmprep.exercise_api import Mistake


class _AllReduceGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


class _SumForward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, partial, average):
        total = partial.clone()
        dist.all_reduce(total)
        return total / dist.get_world_size() if average else total

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def no_all_reduce(x, w1_shard, b1_shard, w2_shard, b2):
    x = _AllReduceGrad.apply(x)
    return F.gelu(x @ w1_shard.T + b1_shard) @ w2_shard.T + b2


def bias_on_every_rank(x, w1_shard, b1_shard, w2_shard, b2):
    x = _AllReduceGrad.apply(x)
    return _SumForward.apply(F.gelu(x @ w1_shard.T + b1_shard) @ w2_shard.T + b2, False)


def averaged_all_reduce(x, w1_shard, b1_shard, w2_shard, b2):
    x = _AllReduceGrad.apply(x)
    return _SumForward.apply(F.gelu(x @ w1_shard.T + b1_shard) @ w2_shard.T, True) + b2


def x_grad_not_reduced(x, w1_shard, b1_shard, w2_shard, b2):
    return _SumForward.apply(F.gelu(x @ w1_shard.T + b1_shard) @ w2_shard.T, False) + b2


def differentiable_all_reduce(x, w1_shard, b1_shard, w2_shard, b2):
    return dist_nn.all_reduce(F.gelu(x @ w1_shard.T + b1_shard) @ w2_shard.T) + b2


MISTAKES = [
    Mistake(id="no-all-reduce", implementation=no_all_reduce,
            en="Looks like each rank returns its own partial output: with W2 split by columns, h_r W2_rᵀ is only "
               "this rank's share of y; all-reduce (sum) the partial outputs once, then add b2.",
            zh="看起来每个 rank 返回的是自己的部分输出：W2 按列切分时，h_r W2_rᵀ 只是 y 中本 rank 的一份；"
               "应对部分输出做一次 all-reduce（求和），再加上 b2。"),
    Mistake(id="bias-on-every-rank", implementation=bias_on_every_rank,
            en="Looks like b2 is added before the all-reduce: every rank adds it, so the sum holds world_size · b2. "
               "Add the row-parallel bias once, after the all-reduce.",
            zh="看起来 b2 是在 all-reduce 之前加的：每个 rank 都加了一次，求和后变成 world_size · b2。"
               "行并行层的偏置应在 all-reduce 之后只加一次。"),
    Mistake(id="averaged-all-reduce", implementation=averaged_all_reduce,
            en="Looks like the partial outputs are averaged: tensor parallelism splits one matmul into a SUM of "
               "partial products (unlike data parallelism, which averages gradients), so do not divide by the "
               "world size.",
            zh="看起来你对部分输出取了平均：张量并行把一次矩阵乘法拆成各部分乘积的**和**（与数据并行对梯度取平均"
               "不同），所以不要除以 world size。"),
    Mistake(id="x-grad-not-reduced", implementation=x_grad_not_reduced,
            en="Looks like x's gradient stays partial on each rank: x feeds both ranks' shards of W1, so dL/dx is "
               "the sum of the ranks' parts. Wrap x in Megatron's f (identity forward, all-reduce backward).",
            zh="看起来 x 的梯度在每个 rank 上都只是部分的：x 同时进入两个 rank 的 W1 分片，所以 dL/dx 是各 rank "
               "部分之和。应把 x 包进 Megatron 的 f（前向恒等，反向 all-reduce）。"),
    Mistake(id="differentiable-all-reduce", implementation=differentiable_all_reduce,
            en="Looks like you used torch.distributed.nn.functional.all_reduce: its backward all-reduces the "
               "gradient again, which is right for a loss SUMMED over ranks but doubles every gradient here, "
               "where each rank computes the same loss. Write Megatron's g (all-reduce forward, identity backward) "
               "as an autograd.Function, and f for x.",
            zh="看起来你用了 torch.distributed.nn.functional.all_reduce：它的反向会再对梯度做一次 all-reduce，"
               "这适用于在各 rank 上**求和**的损失，但这里每个 rank 计算的是同一个损失，于是所有梯度都翻倍了。"
               "应把 Megatron 的 g（前向 all-reduce，反向恒等）写成 autograd.Function，并对 x 使用 f。"),
]
