import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    # einsum, the update computed in float64; the base frozen by detaching its parameters
    def __init__(self, in_features, out_features, r, alpha):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.lora_A = nn.Parameter(torch.randn(r, in_features) / math.sqrt(in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        self.alpha, self.r = alpha, r

    def forward(self, x):
        base = torch.einsum("...i,oi->...o", x, self.base.weight.detach()) + self.base.bias.detach()
        low = torch.einsum("...i,ri->...r", x.double(), self.lora_A.double())
        update = torch.einsum("...r,or->...o", low, self.lora_B.double()) * (self.alpha / self.r)
        return base + update.to(x.dtype)

    def merge(self):
        W = self.base.weight.detach()
        merged = nn.Linear(W.shape[1], W.shape[0]).to(dtype=W.dtype, device=W.device)
        delta = torch.einsum("or,ri->oi", self.lora_B.detach(), self.lora_A.detach())
        merged.weight = nn.Parameter(W + delta * (self.alpha / self.r))
        merged.bias = nn.Parameter(self.base.bias.detach().clone())
        return merged
