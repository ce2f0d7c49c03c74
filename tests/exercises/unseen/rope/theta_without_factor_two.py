"""θ_i = base^(-i/D) instead of base^(-2i/D).

fact: right at position 0 (and for the first pair), wrong elsewhere
named_if: position 0|index 0|first (position|row)|from (index|position) 1
"""
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[-2], x.shape[-1]
    i = torch.arange(D // 2, dtype=x.dtype)
    theta = base ** (-i / D)
    angle = torch.arange(T, dtype=x.dtype)[:, None] * theta[None, :]  # (T, D/2)
    cos, sin = angle.cos(), angle.sin()
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x0 * cos - x1 * sin
    out[..., 1::2] = x0 * sin + x1 * cos
    return out
