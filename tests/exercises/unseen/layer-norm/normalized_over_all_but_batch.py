"""Mean and variance over the last two dims (every token of a sequence together), not per token.

fact: wrong only when x has more than one row per leading index (x is at least 2-D with rows > 1)
named_if: axis|rows?|dims?|\bx\b.*(>|≥)
"""
import torch


def layer_norm(x, weight, bias, eps=1e-5):
    dims = (-2, -1) if x.dim() >= 2 else (-1,)
    mu = x.mean(dim=dims, keepdim=True)
    var = ((x - mu) ** 2).mean(dim=dims, keepdim=True)
    return weight * (x - mu) / torch.sqrt(var + eps) + bias
