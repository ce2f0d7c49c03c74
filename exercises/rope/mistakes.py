"""Classic wrong RoPEs, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _angles(x, base, exponent=lambda i, D: 2 * i / D, first_position=0):
    T, D = x.shape[-2], x.shape[-1]
    position = torch.arange(first_position, first_position + T, dtype=torch.float64)[:, None]
    i = torch.arange(D // 2, dtype=torch.float64)
    angle = position * base ** (-exponent(i, D))
    return angle.cos().to(x.dtype), angle.sin().to(x.dtype)


def _rotate_pairs(x, cos, sin, direction=1.0):
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    sin = direction * sin
    return torch.stack([x_even * cos - x_odd * sin, x_even * sin + x_odd * cos], dim=-1).flatten(-2)


def rotate_half(x, base=10000.0):
    # GPT-NeoX / Hugging Face LLaMA: pairs (x[i], x[i + D/2])
    cos, sin = _angles(x, base)
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


def wrong_direction(x, base=10000.0):
    cos, sin = _angles(x, base)
    return _rotate_pairs(x, cos, sin, direction=-1.0)


def exponent_i(x, base=10000.0):
    cos, sin = _angles(x, base, exponent=lambda i, D: i / D)
    return _rotate_pairs(x, cos, sin)


def positions_from_1(x, base=10000.0):
    cos, sin = _angles(x, base, first_position=1)
    return _rotate_pairs(x, cos, sin)


MISTAKES = [
    Mistake(id="rotate-half", implementation=rotate_half,
            en="Looks like you rotate (x[i], x[i + D/2]), the rotate-half layout of GPT-NeoX and Hugging Face LLaMA: "
                  "this exercise pairs adjacent dimensions, (x[2i], x[2i+1]).",
            zh="看起来你旋转的是 (x[i], x[i + D/2])，即 GPT-NeoX 和 Hugging Face LLaMA 的 rotate-half 排布："
                  "本题配对的是相邻的维度 (x[2i], x[2i+1])。"),
    Mistake(id="wrong-direction", implementation=wrong_direction,
            en="Looks like you rotate in the wrong direction (by -tθ): out[2i] = x[2i]·cos - x[2i+1]·sin and "
                  "out[2i+1] = x[2i]·sin + x[2i+1]·cos.",
            zh="看起来你的旋转方向反了（转了 -tθ）：out[2i] = x[2i]·cos - x[2i+1]·sin，"
                  "out[2i+1] = x[2i]·sin + x[2i+1]·cos。"),
    Mistake(id="exponent-i", implementation=exponent_i,
            en="Looks like you used θ_i = base^(-i/D) with i the pair index: the exponent is -2i/D "
                  "(equivalently, use the even dimension index itself: torch.arange(0, D, 2) / D).",
            zh="看起来你用了 θ_i = base^(-i/D)（i 为维度对下标）：指数应为 -2i/D"
                  "（也就是直接用偶数维的下标：torch.arange(0, D, 2) / D）。"),
    Mistake(id="positions-from-1", implementation=positions_from_1,
            en="Looks like your positions start at 1: the first row (index 0 along dim -2) has position 0 "
                  "and is not rotated at all.",
            zh="看起来你的位置从 1 开始：第一行（沿 dim -2 的下标 0）的位置是 0，完全不旋转。"),
]
