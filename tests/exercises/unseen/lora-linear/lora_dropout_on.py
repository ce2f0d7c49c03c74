"""Dropout on the LoRA branch, left in training mode: random outputs.

fact: the output changes between two calls on the same inputs (randomness left in)
named_if: two calls|same inputs|differ|random
"""
import torch
from torch import nn


class LoRALinear(nn.Module):
    def __init__(self, in_features, out_features, r, alpha):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.base.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.randn(r, in_features) / r)
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        self.scale = alpha / r

    def forward(self, x):
        h = torch.nn.functional.dropout(x, p=0.1, training=True)
        return self.base(x) + self.scale * (h @ self.lora_A.T @ self.lora_B.T)

    def merge(self):
        merged = nn.Linear(self.base.in_features, self.base.out_features,
                           device=self.base.weight.device, dtype=self.base.weight.dtype)
        with torch.no_grad():
            merged.weight.copy_(self.base.weight + self.scale * self.lora_B @ self.lora_A)
            merged.bias.copy_(self.base.bias)
        return merged
