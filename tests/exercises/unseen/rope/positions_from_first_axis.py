"""Positions taken along dim 0 (x.shape[0]) instead of dim -2: wrong for any input with leading dims.

fact: wrong only when x has leading dims (more than 2 dims)
named_if: dims|ndim|leading|axis|shape
"""
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[0], x.shape[-1]
    theta = base ** (-torch.arange(0, D, 2, dtype=x.dtype) / D)
    pos = torch.arange(T, dtype=x.dtype).view(-1, *([1] * (x.dim() - 1)))
    angle = pos * theta  # broadcasts over the trailing axes
    cos, sin = angle.cos(), angle.sin()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1).flatten(-2)
