"""The base argument ignored: 10000 hard-coded.

fact: wrong only when base is not the default
named_if: base
"""
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[-2], x.shape[-1]
    theta = 10000.0 ** (-torch.arange(0, D, 2, dtype=x.dtype) / D)
    angle = torch.arange(T, dtype=x.dtype)[:, None] * theta[None, :]
    cos, sin = angle.cos(), angle.sin()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(-2)
