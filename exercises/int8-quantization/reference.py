import torch
from torch import Tensor


def quantize_int8(w: Tensor, dim: int = 0) -> tuple[Tensor, Tensor]:
    """Symmetric per-channel int8: one scale per index along `dim`, zero maps to zero."""
    others = [d for d in range(w.ndim) if d != dim % w.ndim]
    amax = w.abs().amax(dim=others, keepdim=True) if others else w.abs()  # (.., C, ..) with 1 elsewhere
    # 127, not 128: the range stays symmetric, so -w quantizes to -q
    scale = amax.clamp_min(torch.finfo(w.dtype).tiny) / 127
    q = torch.round(w / scale).clamp(-127, 127).to(torch.int8)  # same shape as w
    return q, scale


def dequantize_int8(q: Tensor, scale: Tensor) -> Tensor:
    """The values q stands for: q * scale, in scale's dtype."""
    return q.to(scale.dtype) * scale
