"""Families `sinusoidal-pe` (one entry of the Transformer's table) and `rope` (one rotated pair)."""

from __future__ import annotations

import math

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short

VASWANI_PE = {"ref": "Vaswani et al. 2017, Attention Is All You Need, §3.5 (positional encoding)"}
ROFORMER = {"ref": "Su et al. 2021, RoFormer: Enhanced Transformer with Rotary Position Embedding, §3.2"}
BASE = 10000


def sinusoidal_parts(pos: int, dim: int, d_model: int) -> dict:
    """Pair index i, exponent 2i/d_model, 10000^(2i/d_model), the angle, and sin or cos of it."""
    pair = dim // 2
    exponent = 2 * pair / d_model
    denominator = BASE**exponent
    angle = pos / denominator
    value = math.sin(angle) if dim % 2 == 0 else math.cos(angle)
    return {"pair": pair, "exponent": exponent, "denominator": denominator, "angle": angle, "value": value}


def make_sinusoidal_pe(seed: int) -> Question:
    """PE(pos, dim) for pos in 1..100, d_model a power of two in 4..512, any dim < d_model."""
    draw = Draw(seed)
    d_model = draw.pick([4, 8, 16, 32, 64, 128, 256, 512])
    dim, pos = draw.integer(0, d_model - 1), draw.integer(1, 100)
    parts = sinusoidal_parts(pos, dim, d_model)
    function = "sin" if dim % 2 == 0 else "cos"
    parity_en = "even, so sin" if dim % 2 == 0 else "odd, so cos"
    parity_zh = "为偶数，用 sin" if dim % 2 == 0 else "为奇数，用 cos"
    i, e = parts["pair"], fixed(parts["exponent"], 6)
    explanation = {
        "en": (f"Dimension {dim} is {parity_en}; its pair index is i = ⌊{dim}/2⌋ = {i}. "
               f"Exponent 2i/d_model = {2 * i}/{d_model} = {e}; 10000^{e} = {fixed(parts['denominator'])}. "
               f"Angle = pos / 10000^(2i/d_model) = {pos} / {fixed(parts['denominator'])} = {fixed(parts['angle'], 6)} "
               f"rad. PE({pos}, {dim}) = {function}({fixed(parts['angle'], 6)}) = {fixed(parts['value'])}. "
               "i indexes the dimension pair, not the position."),
        "zh": (f"维度 {dim} {parity_zh}；它的维度对下标 i = ⌊{dim}/2⌋ = {i}。"
               f"指数 2i/d_model = {2 * i}/{d_model} = {e}；10000^{e} = {fixed(parts['denominator'])}。"
               f"角度 = pos / 10000^(2i/d_model) = {pos} / {fixed(parts['denominator'])} = {fixed(parts['angle'], 6)}"
               f"（弧度）。PE({pos}, {dim}) = {function}({fixed(parts['angle'], 6)}) = {fixed(parts['value'])}。"
               "i 是维度对的下标，不是位置。"),
    }
    formula = "PE(pos, 2i) = sin(pos / 10000^(2i/d_model)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))"
    prompt = {
        "en": (f"Sinusoidal positional encoding, {formula}, dimensions counted from 0, angles in radians. "
               f"d_model = {d_model}: what is PE(pos = {pos}, dimension {dim})?"),
        "zh": (f"正弦位置编码，{formula}，维度从 0 开始计，角度用弧度。"
               f"d_model = {d_model}：PE(pos = {pos}, 维度 {dim}) 是多少？"),
    }
    return make_question(
        family="sinusoidal-pe", seed=seed, topic="positional-encoding", difficulty="easy", prompt=prompt,
        answer=parts["value"], tolerance={"abs": 0.002}, explanation=explanation,
        params={"pos": pos, "dim": dim, "d_model": d_model}, sources=[VASWANI_PE],
    )


def rope_parts(x: list[float], m: int, pair: int, head_dim: int) -> dict:
    """θ_i = 10000^(−2i/d), the angle m·θ_i, its cos and sin, and the rotated pair."""
    theta = BASE ** (-2 * pair / head_dim)
    angle = m * theta
    cos, sin = math.cos(angle), math.sin(angle)
    x0, x1 = x
    return {"theta": theta, "angle": angle, "cos": cos, "sin": sin,
            "terms": [x0 * cos, x1 * sin, x0 * sin, x1 * cos],
            "output": [x0 * cos - x1 * sin, x0 * sin + x1 * cos]}


def make_rope(seed: int) -> Question:
    """RoPE on one pair (x_2i, x_2i+1) in [-2, 2] at position m in 1..20, head_dim in 4..128."""
    draw = Draw(seed)
    head_dim = draw.pick([4, 8, 16, 64, 128])
    # Mostly the fast-rotating low pairs; sometimes a high one, which barely turns.
    pair = draw.integer(0, min(3, head_dim // 2 - 1)) if draw.chance(0.7) else draw.integer(0, head_dim // 2 - 1)
    m = draw.integer(1, 20)
    while True:
        x = draw.vector(2, -2, 2)
        if x != [0.0, 0.0]:
            break
    parts = rope_parts(x, m, pair, head_dim)
    x0, x1 = short(x[0]), short(x[1])
    c, s = fixed(parts["cos"], 6), fixed(parts["sin"], 6)
    t = parts["terms"]
    steps = (f"θ_{pair} = 10000^(−2·{pair}/{head_dim}) = {fixed(parts['theta'], 6)}; "
             f"angle mθ = {m}·{fixed(parts['theta'], 6)} = {fixed(parts['angle'], 6)} rad; "
             f"cos = {c}, sin = {s}. "
             f"x'_0 = x_0·cos − x_1·sin = {x0}·{c} − ({x1})·{s} = {fixed(t[0], 6)} − ({fixed(t[1], 6)}) = "
             f"{fixed(parts['output'][0])}; "
             f"x'_1 = x_0·sin + x_1·cos = {x0}·{s} + ({x1})·{c} = {fixed(t[2], 6)} + ({fixed(t[3], 6)}) = "
             f"{fixed(parts['output'][1])}.")
    explanation = {
        "en": steps + " A rotation keeps the length of the pair; q·k after RoPE depends only on the offset m − n.",
        "zh": steps.replace(" rad;", "（弧度）；") + " 旋转不改变这一对的长度；RoPE 之后 q·k 只取决于相对位置 m − n。",
    }
    setting = (f"head_dim d = {head_dim}, base 10000, θ_i = 10000^(−2i/d); the pair (x_{{2i}}, x_{{2i+1}}) "
               f"with i = {pair} is ({x0}, {x1})")
    setting_zh = (f"head_dim d = {head_dim}，base 10000，θ_i = 10000^(−2i/d)；i = {pair} 的一对 "
                  f"(x_{{2i}}, x_{{2i+1}}) 为 ({x0}, {x1})")
    prompt = {
        "en": f"RoPE at position m = {m}, {setting}. What is the pair after the rotation by the angle m·θ_i?",
        "zh": f"RoPE，位置 m = {m}，{setting_zh}。按角度 m·θ_i 旋转后这一对是多少？",
    }
    return make_question(
        family="rope", seed=seed, topic="positional-encoding", difficulty="medium", prompt=prompt,
        answer=parts["output"], tolerance={"abs": 0.002}, explanation=explanation,
        params={"x": x, "m": m, "i": pair, "head_dim": head_dim, "base": BASE}, sources=[ROFORMER],
    )


register(Family(
    name="sinusoidal-pe", topic="positional-encoding",
    description={
        "en": "One entry of the sinusoidal table. params: pos, dim (0-based), d_model. "
              "answer: PE(pos, dim) (sin for even dim, cos for odd).",
        "zh": "正弦位置编码表中的一个值。params：pos、dim（从 0 计）、d_model。answer：PE(pos, dim)（偶数维 sin，奇数维 cos）。",
    },
    generate=make_sinusoidal_pe,
))
register(Family(
    name="rope", topic="positional-encoding",
    description={
        "en": "Rotate one pair (x_2i, x_2i+1) by m·θ_i. params: x (the pair), m (position), i (pair index), "
              "head_dim, base. answer: the rotated pair [x0·cos − x1·sin, x0·sin + x1·cos].",
        "zh": "把一对 (x_2i, x_2i+1) 旋转 m·θ_i。params：x（这一对）、m（位置）、i（维度对下标）、head_dim、base。"
              "answer：旋转后的一对 [x0·cos − x1·sin, x0·sin + x1·cos]。",
    },
    generate=make_rope,
))
