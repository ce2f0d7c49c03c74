r"""The partial outputs are summed with torch.distributed.nn.functional.all_reduce, whose backward all-reduces again.

fact: the shards' gradients are world_size (2) times the reference (the upstream gradient is summed over ranks)
named_if: \b2(\.0+)? ?(×|x|times)|(×|times) ?2\b|twice|doubl|world.?size
"""
import torch.nn.functional as F
from torch.distributed.nn.functional import all_reduce


def tensor_parallel_mlp(x, w1_shard, b1_shard, w2_shard, b2):
    h = F.gelu(x @ w1_shard.t() + b1_shard)
    return all_reduce(h @ w2_shard.t()) + b2
