import math

import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    """RoPE on interleaved pairs at the given absolute positions, with the frequencies stretched
    for contexts beyond the trained length: position interpolation, NTK-aware scaling or YaRN."""
    D = x.size(-1)
    p = positions.to(torch.float64)                                  # (T,): angles in float64
    if scaling == "linear":                                          # position interpolation
        p = p / factor
    elif scaling == "ntk":                                           # NTK-aware: a larger base
        base = base * factor ** (D / (D - 2))
    elif scaling == "dynamic-ntk":                                   # NTK with the factor the length needs
        length = int(positions.max()) + 1
        if length > original_max_position:
            base = base * (factor * length / original_max_position - (factor - 1)) ** (D / (D - 2))
    two_i = torch.arange(0, D, 2, dtype=torch.float64, device=x.device)   # (D/2,)
    theta = base ** (-two_i / D)                                     # (D/2,) frequencies
    mscale = 1.0
    if scaling == "yarn":                                            # NTK-by-parts, then a temperature
        r = original_max_position * theta / (2 * math.pi)            # turns a pair makes in the trained context
        gamma = ((r - 1) / (32 - 1)).clamp(0, 1)                     # 0: interpolate (r < 1), 1: keep (r > 32)
        theta = (1 - gamma) * theta / factor + gamma * theta
        mscale = 0.1 * math.log(factor) + 1                          # sqrt(1/t): scales q and k alike
    angle = p.to(x.device)[:, None] * theta                          # (T, D/2)
    cos, sin = (angle.cos() * mscale).to(x.dtype), (angle.sin() * mscale).to(x.dtype)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]                       # (..., T, D/2)
    out_even = x_even * cos - x_odd * sin
    out_odd = x_even * sin + x_odd * cos
    return torch.stack([out_even, out_odd], dim=-1).flatten(-2)      # (..., T, D)
