# llmprep: rope
# A correct RoPE in another style: adjacent pairs as complex numbers times e^{i·tθ} (Meta's LLaMA code).
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[-2], x.shape[-1]
    theta = 1.0 / base ** (torch.arange(0, D, 2, dtype=torch.float64) / D)
    angles = torch.outer(torch.arange(T, dtype=torch.float64), theta)
    rotation = torch.polar(torch.ones_like(angles), angles)  # (T, D/2), complex128
    pairs = torch.view_as_complex(x.double().reshape(*x.shape[:-1], D // 2, 2).contiguous())
    return torch.view_as_real(pairs * rotation).reshape(x.shape).to(x.dtype)
