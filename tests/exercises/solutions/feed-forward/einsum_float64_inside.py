# llmprep: feed-forward
# A correct FFN in another style: einsum in float64, GELU as h·Φ(h) with Φ from torch.special.ndtr,
# ReLU as h.clamp(min=0), SiLU written out, cast back at the end.
import torch


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    def linear(inputs, weight, bias):
        out = torch.einsum("...i,oi->...o", inputs, weight.double())
        return out if bias is None else out + bias.double()

    x64 = x.double()
    hidden = linear(x64, w1, b1)
    if activation == "relu":
        hidden = hidden.clamp(min=0)
    elif activation == "gelu":
        hidden = hidden * torch.special.ndtr(hidden)
    else:
        hidden = hidden / (1 + torch.exp(-hidden)) * linear(x64, w3, b3)
    return linear(hidden, w2, b2).to(x.dtype)
