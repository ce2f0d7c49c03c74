import torch


def tensor_parallel_mlp(
    x: torch.Tensor,
    w1_shard: torch.Tensor,
    b1_shard: torch.Tensor,
    w2_shard: torch.Tensor,
    b2: torch.Tensor,
) -> torch.Tensor:
    """This rank's part of the MLP y = gelu(x W1ᵀ + b1) W2ᵀ + b2, Megatron-style, over torch.distributed.

    x: (N, d), the same on every rank. W1 (d_ff, d) is split by rows (column-parallel): this rank holds
    w1_shard (d_ff / world, d) and b1_shard (d_ff / world,). W2 (d, d_ff) is split by columns (row-parallel):
    w2_shard (d, d_ff / world). b2 (d,) is on every rank.
    Return the full y (N, d) on every rank with exactly ONE all-reduce in the forward, and make autograd give
    x the full gradient (one all-reduce in the backward) and every shard its own slice of the full gradient.
    """
    raise NotImplementedError("write tensor_parallel_mlp")
