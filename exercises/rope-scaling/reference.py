import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    """RoPE on interleaved pairs at the given absolute positions, with the frequencies stretched
    for contexts beyond the trained length: position interpolation or NTK-aware scaling."""
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
    angle = p.to(x.device)[:, None] * base ** (-two_i / D)               # (T, D/2)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]                       # (..., T, D/2)
    out_even = x_even * cos - x_odd * sin
    out_odd = x_even * sin + x_odd * cos
    return torch.stack([out_even, out_odd], dim=-1).flatten(-2)      # (..., T, D)
