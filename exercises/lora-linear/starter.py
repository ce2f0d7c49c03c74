import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = x Wᵀ + b + (alpha / r)·x Aᵀ Bᵀ, with the base layer frozen.

    Create `base` = nn.Linear(in_features, out_features) (frozen: no gradients), `lora_A`
    (r, in_features), initialized randomly (nonzero) and `lora_B` (out_features, r),
    initialized to zero, both nn.Parameter. The checker loads the reference's state_dict
    (strictly: exactly these names). merge() returns a new nn.Linear with the same outputs.
    """

    def __init__(self, in_features: int, out_features: int, r: int, alpha: float):
        super().__init__()
        raise NotImplementedError("create base, lora_A and lora_B")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("write the forward pass")

    def merge(self) -> nn.Linear:
        raise NotImplementedError("fold the low-rank update into one nn.Linear")
