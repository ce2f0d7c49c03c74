"""SwiGLU's up projection W3 x without its bias b3.

fact: wrong only when activation is "swiglu" (with a bias b3)
named_if: swiglu|b3
"""
import torch.nn.functional as F


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    h = F.linear(x, w1, b1)
    if activation == "relu":
        h = F.relu(h)
    elif activation == "gelu":
        h = F.gelu(h)
    else:
        h = F.silu(h) * F.linear(x, w3)
    return F.linear(h, w2, b2)
