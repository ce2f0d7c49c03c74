r"""The band is i - window <= j <= i: each query sees window + 1 keys, one too many.

fact: each query attends one key more than the window allows (window off by one)
named_if: off by one|window ?\+ ?1|one (more|extra) key|W ?\+ ?1|window.{0,40}(one|1)
"""
import math

import torch


def sliding_window_attention(q, k, v, window):
    L, S = q.shape[-2], k.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    i = torch.arange(S - L, S, device=q.device)[:, None]
    j = torch.arange(S, device=q.device)[None, :]
    allowed = (j <= i) & (j >= i - window)
    return scores.masked_fill(~allowed, float("-inf")).softmax(-1) @ v
