"""Classic wrong context extensions of RoPE, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _rope(x, positions, base, scaling, factor, original, *, ntk_exponent=True, linear_multiplies=False,
          angle_dtype=torch.float64, dynamic_always=False, dynamic_uses_rows=False, half_split=False):
    D = x.size(-1)
    p = positions.to(angle_dtype)
    exponent = D / (D - 2) if ntk_exponent else 1.0
    if scaling == "linear":
        p = p * factor if linear_multiplies else p / factor
    elif scaling == "ntk":
        base = base * factor ** exponent
    elif scaling == "dynamic-ntk":
        length = x.size(-2) if dynamic_uses_rows else int(positions.max()) + 1
        if dynamic_always or length > original:
            # torch's power: a negative stretch gives NaN (as such code would), not a complex number
            stretch = torch.tensor(factor * length / original - (factor - 1), dtype=torch.float64)
            base = float(base * stretch ** exponent)
    two_i = torch.arange(0, D, 2, dtype=angle_dtype)
    angle = p[:, None] * base ** (-two_i / D)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    if half_split:
        first, second = x[..., : D // 2], x[..., D // 2:]
        return torch.cat([first * cos - second * sin, first * sin + second * cos], dim=-1)
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2)


def ntk_without_exponent(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, ntk_exponent=False)


def interpolation_multiplies(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, linear_multiplies=True)


def angles_in_input_dtype(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, angle_dtype=x.dtype)


def dynamic_always_scales(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, dynamic_always=True)


def dynamic_uses_row_count(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, dynamic_uses_rows=True)


def half_split_pairs(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, half_split=True)


MISTAKES = [
    Mistake(id="ntk-without-exponent", implementation=ntk_without_exponent,
            en="Looks like your NTK-aware base is base · factor: it is base · factor^(D/(D-2)), the exponent that "
               "makes the LOWEST frequency exactly 1/factor of the original (pure interpolation there) while the "
               "highest stays unchanged.",
            zh="看起来你的 NTK-aware 基数是 base · factor：应为 base · factor^(D/(D-2))，这个指数使**最低**频率恰好"
               "变为原来的 1/factor（在那里等同于插值），而最高频率保持不变。"),
    Mistake(id="interpolation-multiplies", implementation=interpolation_multiplies,
            en="Looks like position interpolation multiplies the positions by the factor: it DIVIDES them "
               "(p / factor), squeezing the longer context into the trained range of angles.",
            zh="看起来位置插值把位置乘以了 factor：应当**除以** factor（p / factor），把更长的上下文压缩进训练时的"
               "角度范围。"),
    Mistake(id="angles-in-input-dtype", implementation=angles_in_input_dtype,
            en="Looks like the angles are computed in the input's dtype: at positions in the thousands float32 "
               "rounds p·θ by about 1e-3 rad. Compute the angles in float64, then cast cos and sin to x.dtype.",
            zh="看起来角度是用输入的 dtype 计算的：位置上千时 float32 会让 p·θ 产生约 1e-3 弧度的舍入误差。"
               "应在 float64 中计算角度，再把 cos 和 sin 转成 x.dtype。"),
    Mistake(id="dynamic-always-scales", implementation=dynamic_always_scales,
            en="Looks like dynamic NTK rescales even within the trained length: while max(positions) + 1 <= "
               "original_max_position the base must stay as it is.",
            zh="看起来动态 NTK 在训练长度以内也改变了基数：当 max(positions) + 1 <= original_max_position 时，"
               "基数必须保持不变。"),
    Mistake(id="dynamic-uses-row-count", implementation=dynamic_uses_row_count,
            en="Looks like dynamic NTK takes the length from the number of rows T: the length is max(positions) + 1, "
               "the context the positions reach (one decoding step at position 5000 has T = 1).",
            zh="看起来动态 NTK 用行数 T 作为长度：长度应为 max(positions) + 1，即位置所达到的上下文长度"
               "（在位置 5000 解码一步时 T = 1）。"),
    Mistake(id="half-split-pairs", implementation=half_split_pairs,
            en="Looks like you rotate the halves (x[..., :D/2], x[..., D/2:]) as pairs (the GPT-NeoX/Llama layout): "
               "this exercise pairs adjacent dims (x[..., 2i], x[..., 2i+1]), as the rope exercise does.",
            zh="看起来你把前后两半（x[..., :D/2]、x[..., D/2:]）当成了对（GPT-NeoX/Llama 的布局）：本题与 rope 练习"
               "一样配对相邻维度（x[..., 2i], x[..., 2i+1]）。"),
]
