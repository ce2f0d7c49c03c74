"""scale = max(w) / 127 instead of max|w| / 127: a channel whose largest magnitude is negative clips.

fact: wrong only on the channels whose largest magnitude is negative (values clipped to -127)
named_if: channel|clip|range|scale
"""
import torch


def quantize_int8(w, dim=0):
    others = [d for d in range(w.ndim) if d != dim % w.ndim]
    scale = (w.amax(dim=others, keepdim=True) if others else w).clamp_min(1e-12) / 127
    q = torch.round(w / scale).clamp(-127, 127).to(torch.int8)
    return q, scale


def dequantize_int8(q, scale):
    return q.to(scale.dtype) * scale
