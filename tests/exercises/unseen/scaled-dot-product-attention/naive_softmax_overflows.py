"""A hand-written softmax without subtracting the maximum: exp overflows at large scores.

fact: NaN/inf only on large-magnitude inputs (exp overflow)
named_if: magnitude|overflow|large
"""
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    L, S = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    if is_causal:
        scores = scores.masked_fill(torch.ones(L, S, dtype=torch.bool).tril().logical_not(), float("-inf"))
    e = scores.exp()
    return (e / e.sum(-1, keepdim=True)) @ v
