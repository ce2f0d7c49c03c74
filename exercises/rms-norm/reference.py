import torch


def rms_norm(x, weight, eps=1e-6):
    """x / √(mean(x²) + eps) · weight over the last dimension: no centring, no bias."""
    mean_square = (x * x).mean(dim=-1, keepdim=True)  # (..., 1)
    return x / torch.sqrt(mean_square + eps) * weight  # (..., D)
