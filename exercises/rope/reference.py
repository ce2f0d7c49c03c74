import torch


def apply_rope(x, base=10000.0):
    """Rotate each interleaved pair (x[..., 2i], x[..., 2i+1]) of row t by the angle t·base^(-2i/D)."""
    T, D = x.shape[-2], x.shape[-1]
    position = torch.arange(T, dtype=torch.float64, device=x.device)[:, None]  # (T, 1): t is the row index
    two_i = torch.arange(0, D, 2, dtype=torch.float64, device=x.device)  # (D/2,)
    angle = position * base ** (-two_i / D)  # (T, D/2)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]  # (..., T, D/2): the two halves of every pair
    out_even = x_even * cos - x_odd * sin
    out_odd = x_even * sin + x_odd * cos
    return torch.stack([out_even, out_odd], dim=-1).flatten(-2)  # (..., T, D), pairs interleaved again
