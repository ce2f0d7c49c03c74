import torch


def apply_rope(x: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    """Rotary position embedding, interleaved pairs.

    x: (..., T, D), D even; the position of row t is its index along dim -2 (0, 1, ..., T-1).
    Each pair (x[..., t, 2i], x[..., t, 2i+1]) is rotated by the angle t·θ_i, θ_i = base^(-2i/D):
        out[2i]   = x[2i]·cos(tθ_i) - x[2i+1]·sin(tθ_i)
        out[2i+1] = x[2i]·sin(tθ_i) + x[2i+1]·cos(tθ_i)
    Returns a tensor of the same shape and dtype.
    """
    raise NotImplementedError("write apply_rope")
