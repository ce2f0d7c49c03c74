"""The base layer is never frozen: gradients reach base.weight and base.bias.

fact: a gradient reaches the frozen base parameters (named)
named_if: base
"""
import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, r, alpha):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.lora_A = nn.Parameter(torch.randn(r, in_features) / r)
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        self.scale = alpha / r

    def forward(self, x):
        return self.base(x) + self.scale * (x @ self.lora_A.T @ self.lora_B.T)

    def merge(self):
        merged = nn.Linear(self.base.in_features, self.base.out_features,
                           device=self.base.weight.device, dtype=self.base.weight.dtype)
        with torch.no_grad():
            merged.weight.copy_(self.base.weight + self.scale * self.lora_B @ self.lora_A)
            merged.bias.copy_(self.base.bias)
        return merged
