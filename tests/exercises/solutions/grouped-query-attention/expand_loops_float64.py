import math

import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    """One head at a time in float64, the KV head picked by index; LLaMA-style expand for K and V."""

    def __init__(self, d_model, n_heads, n_kv_heads):
        super().__init__()
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, n_heads * self.d_head, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.out_proj = nn.Linear(n_heads * self.d_head, d_model, bias=False)

    def forward(self, x, is_causal=False):
        B, T, _ = x.shape
        n_rep = self.n_heads // self.n_kv_heads
        q = self.q_proj(x).double().view(B, T, self.n_heads, self.d_head)
        k = self.k_proj(x).double().view(B, T, self.n_kv_heads, 1, self.d_head)
        v = self.v_proj(x).double().view(B, T, self.n_kv_heads, 1, self.d_head)
        # LLaMA's repeat_kv: (B, T, H_kv, n_rep, d) -> (B, T, H, d)
        k = k.expand(B, T, self.n_kv_heads, n_rep, self.d_head).reshape(B, T, self.n_heads, self.d_head)
        v = v.expand(B, T, self.n_kv_heads, n_rep, self.d_head).reshape(B, T, self.n_heads, self.d_head)
        heads = []
        for h in range(self.n_heads):
            scores = q[:, :, h] @ k[:, :, h].transpose(1, 2) / math.sqrt(self.d_head)  # (B, T, T)
            if is_causal:
                scores = scores.masked_fill(torch.arange(T)[None, :] > torch.arange(T)[:, None], -math.inf)
            heads.append(torch.softmax(scores, dim=-1) @ v[:, :, h])
        y = torch.cat(heads, dim=-1).to(x.dtype)
        return self.out_proj(y)
