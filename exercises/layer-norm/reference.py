import torch


def layer_norm(x, weight, bias, eps=1e-5):
    """weight · (x - mean) / √(var + eps) + bias over the last dimension (biased variance)."""
    mean = x.mean(dim=-1, keepdim=True)  # (..., 1)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)  # (..., 1), divides by D, not D - 1
    x_hat = (x - mean) / torch.sqrt(var + eps)  # (..., D)
    return x_hat * weight + bias  # per-feature scale and shift
