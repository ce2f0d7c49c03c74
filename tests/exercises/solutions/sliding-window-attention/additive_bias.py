import torch


def sliding_window_attention(q, k, v, window):
    # an additive bias built from the distance back from the query; a hand-written softmax
    L, S = q.shape[-2], k.shape[-2]
    back = (torch.arange(L)[:, None] + (S - L)) - torch.arange(S)[None, :]   # how far back the key is
    bias = torch.zeros(L, S, dtype=q.dtype)
    bias[(back < 0) | (back >= window)] = float("-inf")
    scores = torch.einsum("...ld,...sd->...ls", q, k) * q.shape[-1] ** -0.5 + bias
    weights = torch.exp(scores - scores.amax(-1, keepdim=True))
    return torch.einsum("...ls,...sv->...lv", weights / weights.sum(-1, keepdim=True), v)
