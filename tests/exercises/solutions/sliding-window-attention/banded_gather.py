import math

import torch
import torch.nn.functional as F


def sliding_window_attention(q, k, v, window):
    # banded: each query gathers only its (up to) `window` keys, padded on the left
    L, S = q.size(-2), k.size(-2)
    W = min(window, S)
    pad_k = F.pad(k, (0, 0, W - 1, 0))                        # (..., S + W - 1, D)
    pad_v = F.pad(v, (0, 0, W - 1, 0))
    pos = torch.arange(S - L, S)                             # query positions
    idx = pos[:, None] + torch.arange(W)[None, :]            # (L, W) rows of the padded keys
    kb = pad_k[..., idx, :]                                  # (..., L, W, D)
    vb = pad_v[..., idx, :]
    scores = (q.unsqueeze(-2) * kb).sum(-1) / math.sqrt(q.size(-1))   # (..., L, W)
    valid = idx >= W - 1                                      # padded slots are not keys
    scores = scores.masked_fill(~valid, float("-inf"))
    return (torch.softmax(scores, -1).unsqueeze(-1) * vb).sum(-2)
