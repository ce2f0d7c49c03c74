"""q.view(-1, L, D) to flatten the batch dims: raises on non-contiguous (transposed) inputs.

fact: fails on non-contiguous inputs, saying why (view on a non-contiguous tensor)
named_if: contiguous
"""
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    L, D = q.shape[-2], q.shape[-1]
    S = k.shape[-2]
    batch = q.shape[:-2]
    q3, k3 = q.view(-1, L, D), k.view(-1, S, D)  # flatten the batch dims
    scores = q3 @ k3.transpose(-2, -1) / math.sqrt(D)
    scores = scores.view(*batch, L, S)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    if is_causal:
        scores = scores.masked_fill(torch.ones(L, S, dtype=torch.bool).tril().logical_not(), float("-inf"))
    return scores.softmax(-1) @ v
