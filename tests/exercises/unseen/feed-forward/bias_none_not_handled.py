r"""`x @ w1.T + b1` with b1 = None raises TypeError: a layer without bias is not handled.

fact: the exception (TypeError) and the line of the submission that raised it
named_if: TypeError.*line \d+|line \d+.*TypeError
"""
import torch
import torch.nn.functional as F


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    h = x @ w1.T + b1
    if activation == "relu":
        h = torch.relu(h)
    elif activation == "gelu":
        h = F.gelu(h)
    else:
        h = F.silu(h) * (x @ w3.T + b3)
    return h @ w2.T + b2
