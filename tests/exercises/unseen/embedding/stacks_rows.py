r"""torch.stack([weight[i] for i in ids]): iterating a 0-d ids tensor raises TypeError.

fact: the exception (TypeError, iteration over a 0-d tensor) with the submission's line
named_if: TypeError.*line \d+|line \d+.*TypeError
"""
import torch


def embedding(ids, weight, scale=False):
    out = torch.stack([weight[i] for i in ids])
    if scale:
        out = out * weight.shape[1] ** 0.5
    return out
