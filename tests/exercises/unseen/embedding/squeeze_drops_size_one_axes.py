"""one_hot(ids) @ weight then squeeze(): drops every size-1 axis, not only the one it added.

fact: wrong shape when ids or d_model has a size-1 axis; the report quotes the contract ids.shape + (d_model,)
named_if: shape
"""
import torch.nn.functional as F


def embedding(ids, weight, scale=False):
    out = (F.one_hot(ids, weight.shape[0]).to(weight.dtype).unsqueeze(-2) @ weight).squeeze()
    if scale:
        out = out * weight.shape[1] ** 0.5
    return out
