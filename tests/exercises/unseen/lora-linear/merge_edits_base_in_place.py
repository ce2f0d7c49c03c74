"""merge() adds B·A into the base layer's own weight and returns it: the LoRA layer changes.

fact: the harness's check that merge leaves the layer unchanged fails, named with its call
named_if: merge|unchanged|in place
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
        return self.base(x) + self.scale * (x @ self.lora_A.T @ self.lora_B.T)

    def merge(self):
        with torch.no_grad():
            self.base.weight += self.scale * self.lora_B @ self.lora_A
        return self.base
