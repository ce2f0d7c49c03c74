import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    """A frozen nn.Linear plus a trainable low-rank update: y = x Wᵀ + b + (alpha/r)·x Aᵀ Bᵀ."""

    def __init__(self, in_features: int, out_features: int, r: int, alpha: float):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.base.requires_grad_(False)  # the pretrained weight and bias stay frozen
        self.lora_A = nn.Parameter(torch.empty(r, in_features))  # (r, in)
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))  # (out, r) zero: starts equal to base
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # nonzero, so lora_B gets gradients
        self.scaling = alpha / r

    def forward(self, x):
        update = (x @ self.lora_A.T) @ self.lora_B.T  # (..., r) then (..., out)
        return self.base(x) + self.scaling * update

    def merge(self) -> nn.Linear:
        """A plain nn.Linear with W + (alpha/r)·B A: the same outputs, no extra cost at inference."""
        W = self.base.weight
        merged = nn.Linear(W.shape[1], W.shape[0], dtype=W.dtype, device=W.device)
        with torch.no_grad():
            merged.weight.copy_(W + self.scaling * self.lora_B @ self.lora_A)  # (out, in)
            merged.bias.copy_(self.base.bias)
        return merged
