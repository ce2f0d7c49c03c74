"""Scores scaled by 1/sqrt(v.size(-1)) (Dv) instead of 1/sqrt(q.size(-1)) (D).

fact: wrong only when Dv ≠ D (v's last axis differs from q's)
named_if: Dv|`v` axis -1|v.*axis -1|axis -1.*`v`
"""
import math

import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    L, S = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(v.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    if is_causal:
        scores = scores.masked_fill(torch.ones(L, S, dtype=torch.bool).tril().logical_not(), float("-inf"))
    return scores.softmax(-1) @ v
