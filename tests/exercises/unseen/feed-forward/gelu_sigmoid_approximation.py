"""GELU as h·sigmoid(1.702 h), the sigmoid approximation, not the exact erf form.

fact: wrong only when activation is "gelu"
named_if: gelu
"""
import torch
import torch.nn.functional as F


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    h = F.linear(x, w1, b1)
    if activation == "relu":
        h = F.relu(h)
    elif activation == "gelu":
        h = h * torch.sigmoid(1.702 * h)
    else:
        h = F.silu(h) * F.linear(x, w3, b3)
    return F.linear(h, w2, b2)
