"""Family `chinchilla-optimal`: compute-optimal model size and tokens for a FLOP budget (C ≈ 6ND, D ≈ 20N)."""

from __future__ import annotations

import math

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, scientific, short

HOFFMANN = {"paper": "hoffmann2022", "section": "§3 and Table 3 (compute-optimal N and D; about 20 tokens per "
                                               "parameter)"}
KAPLAN = {"paper": "kaplan2020", "section": "§2.1 (training compute C ≈ 6ND)"}


def chinchilla_optimal(compute: float, tokens_per_param: float) -> dict:
    """N and D with 6·N·D = C and D = r·N: N = √(C / 6r)."""
    n = math.sqrt(compute / (6 * tokens_per_param))
    return {"n": n, "d": tokens_per_param * n}


def make_chinchilla_optimal(seed: int) -> Question:
    """C = m × 10^e FLOPs (m one decimal in [1, 9.9], e in 21..25); asks N (billions) or D (billions of tokens)."""
    draw = Draw(seed)
    mantissa, exponent = draw.tenths(1.0, 9.9), draw.integer(21, 25)
    compute = mantissa * 10.0**exponent
    ratio = 20
    ask = draw.pick(["params", "tokens"])
    parts = chinchilla_optimal(compute, ratio)
    answer = (parts["n"] if ask == "params" else parts["d"]) / 1e9
    budget = f"{short(mantissa)}e{exponent}"
    asked = {"params": ("the compute-optimal model size N, in billions of parameters", "计算最优的模型规模 N（单位：十亿参数）"),
             "tokens": ("the compute-optimal number of training tokens D, in billions", "计算最优的训练 token 数 D（单位：十亿）")}[ask]
    prompt = {"en": f"A training budget of C = {budget} FLOPs. With C ≈ 6·N·D and the Chinchilla rule D ≈ {ratio}·N, "
                    f"what is {asked[0]}?",
              "zh": f"训练预算 C = {budget} FLOPs。按 C ≈ 6·N·D 和 Chinchilla 规则 D ≈ {ratio}·N，{asked[1]}是多少？"}
    n_b, d_b = fixed(parts["n"] / 1e9, 3), fixed(parts["d"] / 1e9, 3)
    explanation = {
        "en": (f"C = 6·N·{ratio}N = {6 * ratio}·N², so N = √(C / {6 * ratio}) = √({scientific(compute / (6 * ratio))}) "
               f"= {scientific(parts['n'])} ≈ {n_b} billion parameters and D = {ratio}·N = {scientific(parts['d'])} "
               f"≈ {d_b} billion tokens. Both grow as √C: 10× the compute means 3.16× the model and 3.16× the data."),
        "zh": (f"C = 6·N·{ratio}N = {6 * ratio}·N²，所以 N = √(C / {6 * ratio}) = √({scientific(compute / (6 * ratio))}) "
               f"= {scientific(parts['n'])} ≈ {n_b} 十亿参数，D = {ratio}·N = {scientific(parts['d'])} ≈ {d_b} 十亿 token。"
               "两者都按 √C 增长：计算量增加 10 倍，模型和数据各增加 3.16 倍。"),
    }
    return make_question(
        family="chinchilla-optimal", seed=seed, topic="scaling-laws", difficulty="medium", prompt=prompt,
        answer=answer, tolerance={"rel": 0.005},
        unit={"en": "billion parameters", "zh": "十亿参数"} if ask == "params" else {"en": "billion tokens", "zh": "十亿 token"},
        explanation=explanation, params={"compute": compute, "tokens_per_param": ratio, "ask": ask},
        sources=[HOFFMANN, KAPLAN],
    )


register(Family(
    name="chinchilla-optimal", topic="scaling-laws",
    description={
        "en": "Compute-optimal N or D for a FLOP budget with C ≈ 6ND and D ≈ 20N. params: compute (FLOPs), "
              "tokens_per_param (20), ask (params | tokens). answer: N or D in billions.",
        "zh": "给定 FLOP 预算，按 C ≈ 6ND、D ≈ 20N 求计算最优的 N 或 D。params：compute（FLOPs）、tokens_per_param（20）、"
              "ask（params | tokens）。answer：N 或 D，单位十亿。",
    },
    generate=make_chinchilla_optimal,
))
