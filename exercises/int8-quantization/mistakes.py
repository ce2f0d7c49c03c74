"""Classic wrong int8 quantizations, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _channel_amax(w, dim):
    others = [d for d in range(w.ndim) if d != dim % w.ndim]
    return w.abs().amax(dim=others, keepdim=True) if others else w.abs()


def per_tensor_scale(w, dim=0):
    scale = w.abs().max().clamp_min(1e-30) / 127  # one scale for the whole tensor
    return torch.round(w / scale).clamp(-127, 127).to(torch.int8), scale


def rounds_toward_zero(w, dim=0):
    scale = _channel_amax(w, dim).clamp_min(1e-30) / 127
    return (w / scale).clamp(-127, 127).to(torch.int8), scale  # the cast truncates


def uses_128(w, dim=0):
    scale = _channel_amax(w, dim).clamp_min(1e-30) / 128  # [-128, 127] is not symmetric
    return torch.round(w / scale).clamp(-128, 127).to(torch.int8), scale


def dequantize_int8(q, scale):
    return q.to(scale.dtype) * scale


MISTAKES = [
    Mistake(id="per-tensor-scale", implementation=per_tensor_scale,
            en="Looks like you used one scale for the whole tensor (max|w| / 127 over everything): per-channel means one scale per index along `dim`, from that channel's own max|w|, so a channel of small weights keeps its resolution.",
            zh="看起来你对整个张量只用了一个 scale（整体 max|w| / 127）：逐通道是指沿 `dim` 的每个下标各有一个 scale，由该通道自己的 max|w| 决定，这样数值较小的通道也能保留精度。"),
    Mistake(id="rounds-toward-zero", implementation=rounds_toward_zero,
            en="Looks like you truncate toward zero (.to(torch.int8) or int() on w / scale) instead of rounding to nearest: the error reaches a whole scale instead of scale/2. Use torch.round before the cast.",
            zh="看起来你对 w / scale 向零截断（.to(torch.int8) 或 int()），而不是四舍五入到最近整数：误差可达一整个 scale，而不是 scale/2。在转换类型前先用 torch.round。"),
    Mistake(id="uses-128", implementation=uses_128,
            en="Looks like you used 128 levels (scale = max|w| / 128, range [-128, 127]): the largest positive weight then clips to 127 and -w no longer quantizes to -q. Symmetric int8 uses [-127, 127] and max|w| / 127.",
            zh="看起来你用了 128 级（scale = max|w| / 128，范围 [-128, 127]）：最大的正权重会被截到 127，而且 -w 不再量化为 -q。对称 int8 使用 [-127, 127] 和 max|w| / 127。"),
]
