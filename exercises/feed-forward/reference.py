import math

import torch


def _linear(x, w, b):
    y = x @ w.T  # w is (out_features, in_features), as in nn.Linear
    return y if b is None else y + b


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    """W₂·act(W₁x + b₁) + b₂ for each position; for "swiglu", W₂·(SiLU(W₁x + b₁) ⊙ (W₃x + b₃)) + b₂."""
    h = _linear(x, w1, b1)  # (..., d_ff)
    if activation == "relu":
        h = torch.where(h > 0, h, torch.zeros_like(h))
    elif activation == "gelu":
        h = 0.5 * h * (1 + torch.erf(h / math.sqrt(2)))  # exact GELU: h·Φ(h)
    elif activation == "swiglu":
        h = h * torch.sigmoid(h) * _linear(x, w3, b3)  # SiLU(gate) ⊙ up
    else:
        raise ValueError(f"unknown activation {activation!r}")
    return _linear(h, w2, b2)  # (..., d_model): no activation after the second linear
