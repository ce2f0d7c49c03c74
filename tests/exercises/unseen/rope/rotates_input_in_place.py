"""Writes the rotated pairs back into x: the caller's tensor changes (and x1 uses the new x0).

fact: modified its input x in place
named_if: in place
"""
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[-2], x.shape[-1]
    theta = base ** (-torch.arange(0, D, 2, dtype=x.dtype) / D)
    angle = torch.arange(T, dtype=x.dtype)[:, None] * theta[None, :]
    cos, sin = angle.cos(), angle.sin()
    with torch.no_grad():
        x0, x1 = x[..., 0::2].clone(), x[..., 1::2].clone()
        x[..., 0::2] = x0 * cos - x1 * sin
        x[..., 1::2] = x0 * sin + x1 * cos
    return x * 1.0
