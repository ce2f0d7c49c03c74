import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.h = n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, is_causal=False):
        B, T, C = x.shape
        d = C // self.h
        q, k, v = (p(x).reshape(B, T, self.h, d) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = torch.einsum("bthd,bshd->bhts", q, k) / d ** 0.5
        if is_causal:
            scores = scores + torch.full((T, T), float("-inf"), dtype=x.dtype).triu(1)
        y = torch.einsum("bhts,bshd->bthd", scores.softmax(-1), v).reshape(B, T, C)
        return self.out_proj(y)
