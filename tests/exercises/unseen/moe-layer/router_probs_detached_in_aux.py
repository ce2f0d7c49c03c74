"""The mean router probability P_i in the load-balancing loss is computed from detached probabilities.

fact: wrong only in the gradient of the router weight (the aux loss sends no gradient to the router)
named_if: router
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class MoELayer(nn.Module):
    def __init__(self, d_model, d_ff, n_experts, top_k=2, capacity_factor=None):
        super().__init__()
        self.n_experts = n_experts
        self.top_k = top_k
        self.capacity_factor = capacity_factor
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(n_experts))

    def forward(self, x):
        shape = x.shape
        xs = x.reshape(-1, shape[-1])
        n = xs.shape[0]
        probs = self.router(xs).softmax(-1)
        top_p, top_i = probs.topk(self.top_k, dim=-1)
        weights = top_p / top_p.sum(-1, keepdim=True)
        keep = torch.ones_like(top_i, dtype=torch.bool)
        if self.capacity_factor is not None:
            cap = math.ceil(self.capacity_factor * n * self.top_k / self.n_experts)
            counts = [0] * self.n_experts
            for slot in range(self.top_k):
                for t in range(n):
                    e = int(top_i[t, slot])
                    if counts[e] < cap:
                        counts[e] += 1
                    else:
                        keep[t, slot] = False
        out = torch.zeros_like(xs)
        for e, expert in enumerate(self.experts):
            tok, slot = torch.nonzero((top_i == e) & keep, as_tuple=True)
            if tok.numel():
                out = out.index_add(0, tok, weights[tok, slot, None] * expert(xs[tok]))
        f = torch.bincount(top_i.reshape(-1), minlength=self.n_experts).to(probs.dtype) / (n * self.top_k)
        aux = self.n_experts * (f * probs.detach().mean(0)).sum()
        return out.reshape(shape), aux
