import math

import torch
from torch import nn
from torch.nn import functional as F


class Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, h):
        return self.w2(F.silu(self.w1(h)) * self.w3(h))


class MoELayer(nn.Module):
    # plain Python: queues as lists, one token at a time
    def __init__(self, d_model, d_ff, n_experts, top_k=2, capacity_factor=None):
        super().__init__()
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(n_experts))
        self.top_k, self.capacity_factor = top_k, capacity_factor

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        N, E, k = flat.shape[0], len(self.experts), self.top_k
        probs = self.router(flat).softmax(-1)
        values, indices = torch.topk(probs, k)
        limit = math.inf if self.capacity_factor is None else math.ceil(self.capacity_factor * N * k / E)
        load = [0] * E
        kept = [[False] * k for _ in range(N)]
        for slot in range(k):
            for n in range(N):
                e = int(indices[n, slot])
                if load[e] < limit:
                    load[e] += 1
                    kept[n][slot] = True
        rows = []
        for n in range(N):
            row = torch.zeros_like(flat[n])
            total = values[n].sum()
            for slot in range(k):
                if kept[n][slot]:
                    row = row + values[n, slot] / total * self.experts[int(indices[n, slot])](flat[n])
            rows.append(row)
        counts = torch.bincount(indices.reshape(-1), minlength=E).to(flat.dtype)
        aux = E * torch.dot(counts / (N * k), probs.mean(0))
        return torch.stack(rows).reshape(x.shape), aux
