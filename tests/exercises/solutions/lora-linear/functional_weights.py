import torch
import torch.nn.functional as F
from torch import nn


class LoRALinear(nn.Module):
    # F.linear twice, a weight-space delta for merge, freezing by parameter loop
    def __init__(self, in_features: int, out_features: int, r: int, alpha: float):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        for p in self.base.parameters():
            p.requires_grad = False
        self.lora_A = nn.Parameter(torch.empty(r, in_features).uniform_(-0.5, 0.5))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        self.scale = float(alpha) / float(r)

    def delta_weight(self):
        return self.scale * (self.lora_B @ self.lora_A)  # (out, in)

    def forward(self, x):
        return self.base(x) + F.linear(F.linear(x, self.lora_A), self.lora_B) * self.scale

    @torch.no_grad()
    def merge(self):
        merged = nn.Linear(self.base.in_features, self.base.out_features,
                           device=self.base.weight.device, dtype=self.base.weight.dtype)
        merged.load_state_dict({"weight": self.base.weight + self.delta_weight(), "bias": self.base.bias})
        return merged
