"""scale=True multiplies by sqrt(V) (weight.size(0)) instead of sqrt(d_model).

fact: wrong only when scale is True; the ratio is sqrt(V / d_model)
named_if: scale
"""
import torch


def embedding(ids, weight, scale=False):
    out = weight[ids]
    if scale:
        out = out * weight.size(0) ** 0.5
    return out
