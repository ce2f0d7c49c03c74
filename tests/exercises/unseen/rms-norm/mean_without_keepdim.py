r"""mean(x²) without keepdim: the per-row RMS broadcasts along the wrong axis (or raises).

fact: the exception (RuntimeError) and its line, or a broadcast along the wrong axis
named_if: RuntimeError.*line \d+|line \d+|broadcast
"""
import torch


def rms_norm(x, weight, eps=1e-6):
    rms = torch.sqrt(x.pow(2).mean(-1) + eps)
    return x / rms * weight
