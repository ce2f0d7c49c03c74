import torch


def quantize_int8(w: torch.Tensor, dim: int = 0):
    # multiply by the reciprocal; an all-zero channel gets scale 1
    dims = tuple(d for d in range(w.ndim) if d != dim % w.ndim)
    amax = torch.amax(torch.abs(w), dim=dims, keepdim=True) if dims else w.abs()
    scale = torch.where(amax > 0, amax / 127.0, torch.ones_like(amax))
    q = torch.clamp(torch.round(w * (1.0 / scale)), min=-127, max=127)
    return q.to(torch.int8), scale


def dequantize_int8(q, scale):
    return scale * q
