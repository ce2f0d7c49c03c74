import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    # one query at a time, in float64, with an additive mask and a hand-written softmax
    L, S = q.shape[-2], k.shape[-2]
    additive = torch.zeros(L, S, dtype=torch.float64)
    if is_causal:
        additive = additive.masked_fill(torch.ones(L, S, dtype=torch.bool).triu(1), -math.inf)
    if mask is not None:
        additive = additive + torch.zeros(mask.shape, dtype=torch.float64).masked_fill(~mask, -math.inf)
    q64, k64, v64 = q.double(), k.double(), v.double()
    rows = []
    for i in range(L):
        s = q64[..., i:i + 1, :] @ k64.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (..., 1, S)
        s = s + additive[..., i:i + 1, :]
        w = torch.exp(s - s.amax(dim=-1, keepdim=True))
        rows.append((w / w.sum(dim=-1, keepdim=True)) @ v64)  # (..., 1, Dv)
    return torch.cat(rows, dim=-2).to(q.dtype)
