"""The channel axis hard-coded to rows: amax over dim 1 whatever `dim` says.

fact: wrong only when dim is not the default
named_if: \bdim\b
"""
import torch


def quantize_int8(w, dim=0):
    scale = w.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127
    q = torch.round(w / scale).clamp(-127, 127).to(torch.int8)
    return q, scale


def dequantize_int8(q, scale):
    return q.to(scale.dtype) * scale
