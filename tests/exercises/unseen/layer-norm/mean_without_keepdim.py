r"""x.mean(-1) without keepdim: x - mu broadcasts mu along the wrong axis (or raises).

fact: the exception (RuntimeError) and its line, or wrong values for square inputs
named_if: RuntimeError.*line \d+|line \d+|broadcast
"""
import torch


def layer_norm(x, weight, bias, eps=1e-5):
    mu = x.mean(-1)
    var = x.var(-1, unbiased=False)
    return weight * (x - mu) / torch.sqrt(var + eps) + bias
