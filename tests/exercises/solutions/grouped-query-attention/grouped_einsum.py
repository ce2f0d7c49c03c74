import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    """No copies of K and V: queries reshaped to (B, H_kv, group, T, d) and matched by einsum."""

    def __init__(self, d_model, n_heads, n_kv_heads):
        super().__init__()
        self.h, self.h_kv = n_heads, n_kv_heads
        d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, n_heads * d_head, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_heads * d_head, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_heads * d_head, bias=False)
        self.out_proj = nn.Linear(n_heads * d_head, d_model, bias=False)

    def forward(self, x, is_causal=False):
        B, T, _ = x.shape
        g = self.h // self.h_kv
        q = self.q_proj(x).reshape(B, T, self.h_kv, g, -1)  # head h = (h // g, h % g)
        k = self.k_proj(x).reshape(B, T, self.h_kv, -1)
        v = self.v_proj(x).reshape(B, T, self.h_kv, -1)
        scores = torch.einsum("bqkgd,bskd->bkgqs", q, k) * q.shape[-1] ** -0.5
        if is_causal:
            scores = scores + torch.zeros(T, T, dtype=x.dtype).masked_fill(
                torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        weights = scores.softmax(dim=-1)
        y = torch.einsum("bkgqs,bskd->bqkgd", weights, v).reshape(B, T, -1)
        return self.out_proj(y)
