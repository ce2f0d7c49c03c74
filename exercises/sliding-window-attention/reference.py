import math

import torch


def sliding_window_attention(q, k, v, window):
    """Causal attention in which each query sees only the `window` most recent keys, itself included.
    The L queries are the last L of the S positions (as with a KV cache)."""
    L, S, D = q.size(-2), k.size(-2), q.size(-1)
    i = torch.arange(S - L, S, device=q.device)[:, None]  # (L, 1) absolute query positions
    j = torch.arange(S, device=q.device)[None, :]         # (1, S) key positions
    allowed = (j <= i) & (j > i - window)                 # (L, S): causal and inside the window
    scores = q @ k.transpose(-2, -1) / math.sqrt(D)       # (..., L, S)
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v              # (..., L, Dv)
