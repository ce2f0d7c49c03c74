"""eps never used: (x - mu) / sqrt(var).

fact: wrong only on the cases with a non-default eps or tiny variance
named_if: eps|small|magnitude
"""
import torch


def layer_norm(x, weight, bias, eps=1e-5):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return weight * (x - mu) / torch.sqrt(var) + bias
