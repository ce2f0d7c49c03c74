# llmprep: rms-norm
# A correct RMSNorm in another style: statistics in float64, rsqrt, cast back before the weight.
import torch


def rms_norm(x, weight, eps=1e-6):
    x64 = x.double()
    normalized = x64 * torch.rsqrt(x64.pow(2).mean(-1, keepdim=True) + eps)
    return normalized.to(x.dtype) * weight
