"""SwiGLU with the gate on W3: SiLU(W3 x + b3) ⊙ (W1 x + b1).

fact: wrong only when activation is "swiglu"
named_if: swiglu
"""
import torch
import torch.nn.functional as F


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    h = F.linear(x, w1, b1)
    if activation == "relu":
        h = F.relu(h)
    elif activation == "gelu":
        h = F.gelu(h)
    else:
        h = F.silu(F.linear(x, w3, b3)) * h
    return F.linear(h, w2, b2)
