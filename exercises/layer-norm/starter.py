import torch


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor, eps: float = 1e-5) -> torch.Tensor:
    """weight · (x - mean) / √(var + eps) + bias over the last dimension, var the biased variance.

    x: (..., D); weight, bias: (D,) -> (..., D).
    Do not call F.layer_norm or nn.LayerNorm.
    """
    raise NotImplementedError("write layer_norm")
