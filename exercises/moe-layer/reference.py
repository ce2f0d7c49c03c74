import math

import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    """A SwiGLU feed-forward network, as in Mixtral: w2(silu(w1 x) * w3 x)."""

    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class MoELayer(nn.Module):
    """Top-k routed mixture of experts with the Switch load-balancing loss and optional capacity."""

    def __init__(self, d_model, d_ff, n_experts, top_k=2, capacity_factor=None):
        super().__init__()
        self.n_experts, self.top_k, self.capacity_factor = n_experts, top_k, capacity_factor
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(n_experts))

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])                                          # (N, d): every token
        N, E, k = x.size(0), self.n_experts, self.top_k
        probs = torch.softmax(self.router(x), dim=-1)                         # (N, E)
        top_p, top_i = probs.topk(k, dim=-1)                                  # (N, k)
        weights = top_p / top_p.sum(dim=-1, keepdim=True)                     # renormalized (Mixtral)

        keep = torch.ones_like(top_i, dtype=torch.bool)                       # (N, k)
        if self.capacity_factor is not None:
            capacity = math.ceil(self.capacity_factor * N * k / E)
            slot_major = F.one_hot(top_i.T.reshape(-1), E)                    # (k·N, E): 1st choices first
            rank = (slot_major.cumsum(dim=0) * slot_major).sum(dim=-1) - 1    # place in its expert's queue
            keep = (rank < capacity).view(k, N).T                             # (N, k)

        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            token, slot = ((top_i == e) & keep).nonzero(as_tuple=True)
            if token.numel():
                out = out.index_add(0, token, weights[token, slot, None] * expert(x[token]))

        # Switch Transformer: E · Σ_i f_i · P_i, f_i = share of the N·k routing choices that went to
        # expert i (before capacity), P_i = mean router probability of expert i.
        f = F.one_hot(top_i, E).sum(dim=(0, 1)).to(x.dtype) / (N * k)          # (E,)
        P = probs.mean(dim=0)                                                 # (E,)
        aux_loss = E * (f * P).sum()
        return out.reshape(shape), aux_loss
