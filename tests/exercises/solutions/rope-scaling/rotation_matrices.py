import math

import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    # one 2×2 rotation matrix per (position, pair), applied with einsum
    D = x.size(-1)
    pos = positions.to(torch.float64)
    if scaling == "linear":
        pos = pos / factor
    if scaling == "ntk" or (scaling == "dynamic-ntk" and pos.max() + 1 > original_max_position):
        s = factor if scaling == "ntk" else factor * (positions.max().item() + 1) / original_max_position - factor + 1
        base = base * s ** (D / (D - 2))
    theta = 1.0 / base ** (torch.arange(D // 2, dtype=torch.float64) * 2 / D)
    gain = 1.0
    if scaling == "yarn":
        wavelength = 2 * math.pi / theta
        ramp = ((original_max_position / wavelength - 1) / (32 - 1)).clamp(min=0, max=1)
        theta = torch.lerp(theta / factor, theta, ramp)
        gain = 0.1 * math.log(factor) + 1
    ang = pos.unsqueeze(-1) * theta                                            # (T, D/2)
    c, s = (gain * ang.cos()).to(x.dtype), (gain * ang.sin()).to(x.dtype)
    rot = torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2)  # (T, D/2, 2, 2)
    pairs = x.unflatten(-1, (D // 2, 2))                                       # (..., T, D/2, 2)
    return torch.einsum("tpij,...tpj->...tpi", rot, pairs).flatten(-2)
