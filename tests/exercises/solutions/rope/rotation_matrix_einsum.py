# llmprep: rope
# A correct RoPE in another style: a 2×2 rotation matrix per (position, pair), applied by einsum,
# with the angles computed in float32 the way Hugging Face does.
import torch


def apply_rope(x, base=10000.0):
    T, D = x.shape[-2], x.shape[-1]
    inv_freq = 1.0 / (base ** (torch.arange(0, D, 2).float() / D))
    angles = torch.outer(torch.arange(T).float(), inv_freq).to(x.dtype)  # (T, D/2)
    cos, sin = angles.cos(), angles.sin()
    rotation = torch.stack([torch.stack([cos, -sin], -1), torch.stack([sin, cos], -1)], -2)  # (T, D/2, 2, 2)
    pairs = x.unflatten(-1, (D // 2, 2))  # (..., T, D/2, 2)
    return torch.einsum("tpij,...tpj->...tpi", rotation, pairs).flatten(-2)
