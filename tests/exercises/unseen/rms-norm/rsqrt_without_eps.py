"""x · rsqrt(mean(x²)) with no eps: an all-zero row is 0·inf = NaN, and eps cases are off.

fact: NaN where the reference is finite (the all-zero row), and wrong only on the non-default eps cases
named_if: NaN|eps
"""
import torch


def rms_norm(x, weight, eps=1e-6):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True)) * weight
