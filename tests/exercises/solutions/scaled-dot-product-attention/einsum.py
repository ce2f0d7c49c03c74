import torch


def scaled_dot_product_attention(q, k, v, mask=None, is_causal=False):
    scores = torch.einsum("...ld,...sd->...ls", q, k) * q.shape[-1] ** -0.5
    L, S = scores.shape[-2:]
    allowed = torch.ones(L, S, dtype=torch.bool)
    if is_causal:
        allowed = torch.tril(allowed)
    if mask is not None:
        allowed = allowed & mask
    scores = torch.where(allowed, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    weights = scores.softmax(dim=-1)
    return torch.einsum("...ls,...sv->...lv", weights, v)
