"""The angles are computed in float32 (positions and frequencies), not float64.

fact: wrong only at large positions (float32 rounding of p·θ), right at small positions
named_if: float32|float64|precision|round|large positions?|positions? (above|beyond|over|>)
"""
import math

import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    D = x.shape[-1]
    pairs = torch.arange(0, D, 2, dtype=torch.float32, device=x.device)
    pos = positions.to(device=x.device, dtype=torch.float32)
    if scaling == "ntk":
        base = base * factor ** (D / (D - 2))
    elif scaling == "dynamic-ntk":
        L = int(positions.max()) + 1
        if L > original_max_position:
            base = base * (factor * L / original_max_position - (factor - 1)) ** (D / (D - 2))
    theta = base ** (-pairs / D)
    mscale = 1.0
    if scaling == "linear":
        pos = pos / factor
    elif scaling == "yarn":
        turns = original_max_position * theta / (2 * math.pi)
        gamma = ((turns - 1) / 31).clamp(0, 1)
        theta = (1 - gamma) * theta / factor + gamma * theta
        mscale = 0.1 * math.log(factor) + 1
    angles = pos[:, None] * theta[None, :]
    cos = (angles.cos() * mscale).to(x.dtype)
    sin = (angles.sin() * mscale).to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)
