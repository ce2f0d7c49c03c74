import math

import torch
import torch.nn.functional as F
from torch import nn


class SwiGLU(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class MoELayer(nn.Module):
    # dense: a (N, E) combine matrix of routing weights, every expert runs on every token
    def __init__(self, d_model, d_ff, n_experts, top_k=2, capacity_factor=None):
        super().__init__()
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList([SwiGLU(d_model, d_ff) for _ in range(n_experts)])
        self.k, self.capacity_factor = top_k, capacity_factor

    def forward(self, x):
        tokens = x.reshape(-1, x.shape[-1])
        N, E = tokens.shape[0], len(self.experts)
        logits = self.router(tokens)
        top_logits, top_idx = logits.topk(self.k, dim=-1)
        gate = torch.softmax(top_logits, dim=-1)                   # softmax over the top-k logits
        assigned = F.one_hot(top_idx, E).to(tokens.dtype)          # (N, k, E)
        if self.capacity_factor is not None:
            capacity = math.ceil(self.capacity_factor * N * self.k / E)
            queue = assigned.transpose(0, 1).reshape(-1, E)        # slot-major
            place = queue.cumsum(0) * queue
            fits = ((place > 0) & (place <= capacity)).to(tokens.dtype)
            assigned = fits.reshape(self.k, N, E).transpose(0, 1)
        combine = (gate.unsqueeze(-1) * assigned).sum(1)           # (N, E)
        expert_out = torch.stack([expert(tokens) for expert in self.experts], dim=1)  # (N, E, d)
        out = (combine.unsqueeze(-1) * expert_out).sum(1)
        chosen = F.one_hot(top_idx, E).to(tokens.dtype).sum(1)    # (N, E), before capacity
        aux = E * (chosen.mean(0) / self.k * torch.softmax(logits, -1).mean(0)).sum()
        return out.reshape(x.shape), aux
