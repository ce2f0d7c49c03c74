"""The queries are placed at positions 0 … L-1 instead of the last L positions S-L … S-1.

fact: wrong only on cases with L < S (L ≠ S); right when L = S
named_if: L ?(≠|!=|<) ?S|S ?(≠|!=|>) ?L|S ?− ?L|S - L|last L|bottom.right
"""
import math

import torch


def sliding_window_attention(q, k, v, window):
    L, S = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    i = torch.arange(L, device=q.device)[:, None]
    j = torch.arange(S, device=q.device)[None, :]
    allowed = (j <= i) & (j > i - window)
    return scores.masked_fill(~allowed, float("-inf")).softmax(-1) @ v
