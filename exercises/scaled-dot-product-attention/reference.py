import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    """softmax(q kᵀ / √D, masked) v, with masks in the F.scaled_dot_product_attention convention."""
    L, S, D = q.size(-2), k.size(-2), q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(D)  # (..., L, S)
    if is_causal:
        causal = torch.ones(L, S, dtype=torch.bool, device=q.device).tril()  # query i sees keys j <= i
        scores = scores.masked_fill(~causal, float("-inf"))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))  # True = may attend
    weights = torch.softmax(scores, dim=-1)  # over the keys
    return weights @ v  # (..., L, Dv)
