"""Classic wrong context extensions of RoPE, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def _rope(x, positions, base, scaling, factor, original, *, ntk_exponent=True, linear_multiplies=False,
          angle_dtype=torch.float64, dynamic_always=False, dynamic_uses_rows=False, half_split=False,
          yarn_reversed=False, yarn_temperature=True):
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
    theta = base ** (-two_i / D)
    mscale = 1.0
    if scaling == "yarn":
        gamma = ((original * theta / (2 * math.pi) - 1) / 31).clamp(0, 1)
        gamma = 1 - gamma if yarn_reversed else gamma
        theta = (1 - gamma) * theta / factor + gamma * theta
        mscale = 0.1 * math.log(factor) + 1 if yarn_temperature else 1.0
    angle = p[:, None] * theta
    cos, sin = (angle.cos() * mscale).to(x.dtype), (angle.sin() * mscale).to(x.dtype)
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


def yarn_ramp_reversed(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, yarn_reversed=True)


def yarn_without_temperature(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    return _rope(x, positions, base, scaling, factor, original_max_position, yarn_temperature=False)


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
    Mistake(id="yarn-ramp-reversed", implementation=yarn_ramp_reversed,
            en="Looks like YaRN's ramp is reversed: pairs that turn many times in the trained context (r > 32, high "
               "frequencies) must keep their frequency, and those that turn less than once (r < 1) are interpolated "
               "(θ / factor); γ = clamp((r - 1) / 31, 0, 1) weights the KEPT frequency.",
            zh="看起来 YaRN 的斜坡反了：在训练上下文中转很多圈的维度对（r > 32，高频）应保持频率，转不到一圈的（r < 1）"
               "才插值（θ / factor）；γ = clamp((r - 1) / 31, 0, 1) 是**保留**原频率的权重。"),
    Mistake(id="yarn-without-temperature", implementation=yarn_without_temperature,
            en="Looks like YaRN's attention temperature is missing: multiply cos and sin by 0.1·ln(factor) + 1 "
               "(applied to both q and k it scales the logits by 1/t = (0.1·ln s + 1)²).",
            zh="看起来缺少 YaRN 的注意力温度：应把 cos 和 sin 乘以 0.1·ln(factor) + 1（同时作用于 q 和 k，"
               "使 logits 乘以 1/t = (0.1·ln s + 1)²）。"),
]
