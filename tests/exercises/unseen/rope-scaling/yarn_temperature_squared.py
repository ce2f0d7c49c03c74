r"""YaRN's cos and sin are multiplied by the logit factor (0.1·ln s + 1)² instead of its square root 0.1·ln s + 1.

fact: wrong only on yarn cases, by the constant ratio 0.1·ln(factor) + 1
named_if: yarn|\bln\b|temperature
"""
import math

import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    D = x.shape[-1]
    pairs = torch.arange(0, D, 2, dtype=torch.float64, device=x.device)
    pos = positions.to(device=x.device, dtype=torch.float64)
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
        mscale = (0.1 * math.log(factor) + 1) ** 2
    angles = pos[:, None] * theta[None, :]
    cos = (angles.cos() * mscale).to(x.dtype)
    sin = (angles.sin() * mscale).to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1).flatten(-2)
