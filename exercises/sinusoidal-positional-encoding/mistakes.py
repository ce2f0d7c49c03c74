"""Classic wrong positional encodings, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _angles(max_len, d_model, exponent):
    position = torch.arange(max_len, dtype=torch.float64)[:, None]
    i = torch.arange(d_model // 2, dtype=torch.float64)
    return position / 10000.0 ** (exponent(i) / d_model)


def _interleave(first, second):
    pe = torch.empty(first.shape[0], 2 * first.shape[1], dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = first, second
    return pe.float()


def halves(max_len, d_model):
    angles = _angles(max_len, d_model, lambda i: 2 * i)
    return torch.cat([angles.sin(), angles.cos()], dim=-1).float()


def exponent_i(max_len, d_model):
    angles = _angles(max_len, d_model, lambda i: i)
    return _interleave(angles.sin(), angles.cos())


def frequency_from_position(max_len, d_model):
    # the ERNIE guide's example (000 664-669): PE(pos, ·) = sin(pos / 10000^(2·pos/d))
    position = torch.arange(max_len, dtype=torch.float64)[:, None]
    angles = (position / 10000.0 ** (2 * position / d_model)).expand(max_len, d_model // 2)
    return _interleave(angles.sin(), angles.cos())


def sin_cos_swapped(max_len, d_model):
    angles = _angles(max_len, d_model, lambda i: 2 * i)
    return _interleave(angles.cos(), angles.sin())


MISTAKES = [
    Mistake(id="halves-not-interleaved", implementation=halves,
            en="Looks like you put all the sines in the first half and the cosines in the second: this exercise interleaves them (sin at 2i, cos at 2i+1).",
            zh="看起来你把所有 sin 放在前半、cos 放在后半：本题要求交错排列（2i 放 sin，2i+1 放 cos）。"),
    Mistake(id="exponent-i", implementation=exponent_i,
            en="Looks like you used 10000^(i/d_model) with i the pair index: the exponent is 2i/d_model (equivalently, use the even dimension index itself).",
            zh="看起来你用了 10000^(i/d_model)（i 为维度对下标）：指数应为 2i/d_model（也就是直接用偶数维的下标）。"),
    Mistake(id="frequency-from-position", implementation=frequency_from_position,
            en="Looks like the frequency depends on the position (as in the ERNIE guide's example): it depends only on the dimension pair i; the position p multiplies it.",
            zh="看起来你的频率随位置变化（如同 ERNIE 面试攻略中的例子）：频率只取决于维度对 i，位置 p 只是与它相乘。"),
    Mistake(id="sin-cos-swapped", implementation=sin_cos_swapped,
            en="Looks like sin and cos are swapped: even dimensions 2i take sin, odd dimensions 2i+1 take cos.",
            zh="看起来 sin 和 cos 放反了：偶数维 2i 用 sin，奇数维 2i+1 用 cos。"),
]
