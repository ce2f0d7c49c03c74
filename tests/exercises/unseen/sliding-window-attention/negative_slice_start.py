r"""Each query slices k[..., i - window + 1 : i + 1] without clamping the start at 0: early queries get no keys.

fact: wrong only at the first window - 1 query positions (their output is 0)
named_if: first \S+ (query )?positions|wrong prefix|first .{0,40}(are|is) wrong|only .{0,20}(index 0|first)|output is 0
"""
import math

import torch


def sliding_window_attention(q, k, v, window):
    L, S = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1])
    rows = []
    for t in range(L):
        i = S - L + t
        keys = k[..., i - window + 1:i + 1, :]
        values = v[..., i - window + 1:i + 1, :]
        weights = (q[..., t:t + 1, :] @ keys.transpose(-2, -1) * scale).softmax(-1)
        rows.append(weights @ values)
    return torch.cat(rows, dim=-2)
