"""Families `layer-norm` (with γ and β) and `rms-norm`, over the features of one token."""

from __future__ import annotations

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short, vector_text

BA = {"ref": "Ba, Kiros, Hinton 2016, Layer Normalization, §3 (statistics over the features, biased variance)"}
ZHANG = {"ref": "Zhang and Sennrich 2019, Root Mean Square Layer Normalization, §4"}
LAYER_NORM_EPS = 1e-5  # torch.nn.LayerNorm's default
RMS_NORM_EPS = 1e-6  # LLaMA's


def layer_norm_parts(x: list[float], gamma: list[float], beta: list[float], eps: float) -> dict:
    """Mean, deviations, squared deviations, biased variance, σ = √(var + ε), x̂ and γ·x̂ + β."""
    x_ = np.array(x)
    mean = x_.mean()
    deviations = x_ - mean
    squares = deviations**2
    variance = squares.mean()  # biased (/n), as LayerNorm uses
    std = np.sqrt(variance + eps)
    normalized = deviations / std
    return {"mean": mean, "deviations": deviations, "squares": squares, "variance": variance, "std": std,
            "normalized": normalized, "output": normalized * np.array(gamma) + np.array(beta)}


def make_layer_norm(seed: int) -> Question:
    """LayerNorm of 3-4 one-decimal features in [-2, 2], γ in [0.5, 2], β in [-1, 1], ε = 1e-5."""
    draw = Draw(seed)
    n = draw.integer(3, 4)
    while True:  # a nearly constant x would make the question about ε, not about LayerNorm
        x = draw.vector(n, -2, 2)
        if np.var(x) >= 0.04:
            break
    gamma, beta = draw.vector(n, 0.5, 2), draw.vector(n, -1, 1)
    parts = layer_norm_parts(x, gamma, beta, LAYER_NORM_EPS)
    steps = {
        "mean": fixed(parts["mean"]), "dev": vector_text(parts["deviations"]), "sq": vector_text(parts["squares"]),
        "var": fixed(parts["variance"]), "std": fixed(parts["std"]), "hat": vector_text(parts["normalized"]),
        "out": vector_text(parts["output"]), "g": vector_text(gamma, short), "b": vector_text(beta, short),
        "n": n,
    }
    explanation = {
        "en": ("Mean μ = {mean}. Deviations x − μ = {dev}; squared {sq}; variance σ² = their mean (divide by "
               "n = {n}, not n − 1) = {var}. √(σ² + ε) = {std}. Normalized x̂ = (x − μ)/√(σ² + ε) = {hat}. "
               "Output γ ⊙ x̂ + β with γ = {g}, β = {b}: {out}.").format(**steps),
        "zh": ("均值 μ = {mean}。偏差 x − μ = {dev}；平方 {sq}；方差 σ² = 平方的均值（除以 n = {n}，不是 n − 1）= {var}。"
               "√(σ² + ε) = {std}。归一化 x̂ = (x − μ)/√(σ² + ε) = {hat}。输出 γ ⊙ x̂ + β，其中 γ = {g}，β = {b}："
               "{out}。").format(**steps),
    }
    inputs = f"x = {vector_text(x, short)}, γ = {steps['g']}, β = {steps['b']}, ε = 1e-5"
    prompt = {
        "en": f"LayerNorm over the {n} features of one token: {inputs}. What is the output vector?",
        "zh": f"对一个 token 的 {n} 个特征做 LayerNorm：{inputs}。输出向量是多少？",
    }
    return make_question(
        family="layer-norm", seed=seed, topic="transformer-block", difficulty="medium", prompt=prompt,
        answer=parts["output"].tolist(), tolerance={"abs": 0.005}, explanation=explanation,
        params={"x": x, "gamma": gamma, "beta": beta, "eps": LAYER_NORM_EPS}, sources=[BA],
    )


def rms_norm_parts(x: list[float], gamma: list[float], eps: float) -> dict:
    """Squares, their mean, rms = √(mean + ε), x / rms and γ ⊙ x / rms."""
    x_ = np.array(x)
    squares = x_**2
    mean_square = squares.mean()
    rms = np.sqrt(mean_square + eps)
    normalized = x_ / rms
    return {"squares": squares, "mean_square": mean_square, "rms": rms, "normalized": normalized,
            "output": normalized * np.array(gamma)}


def make_rms_norm(seed: int) -> Question:
    """RMSNorm of 3-4 one-decimal features in [-2, 2], weight γ in [0.5, 2], ε = 1e-6."""
    draw = Draw(seed)
    n = draw.integer(3, 4)
    while True:
        x = draw.vector(n, -2, 2)
        if np.mean(np.square(x)) >= 0.04:
            break
    gamma = draw.vector(n, 0.5, 2)
    parts = rms_norm_parts(x, gamma, RMS_NORM_EPS)
    steps = {"sq": vector_text(parts["squares"]), "ms": fixed(parts["mean_square"]), "rms": fixed(parts["rms"]),
             "hat": vector_text(parts["normalized"]), "g": vector_text(gamma, short),
             "out": vector_text(parts["output"]), "n": n}
    explanation = {
        "en": ("Squares x² = {sq}; their mean = {ms}. RMS = √(mean + ε) = {rms}. x / RMS = {hat}. "
               "Times the weight γ = {g}: {out}. Unlike LayerNorm there is no mean subtraction and no β.").format(**steps),
        "zh": ("平方 x² = {sq}；均值 = {ms}。RMS = √(均值 + ε) = {rms}。x / RMS = {hat}。乘以权重 γ = {g}：{out}。"
               "与 LayerNorm 不同，RMSNorm 不减均值，也没有 β。").format(**steps),
    }
    inputs = f"x = {vector_text(x, short)}, γ = {steps['g']}, ε = 1e-6"
    prompt = {
        "en": f"RMSNorm (as in LLaMA) over the {n} features of one token: {inputs}. What is the output vector?",
        "zh": f"对一个 token 的 {n} 个特征做 RMSNorm（LLaMA 所用）：{inputs}。输出向量是多少？",
    }
    return make_question(
        family="rms-norm", seed=seed, topic="transformer-block", difficulty="easy", prompt=prompt,
        answer=parts["output"].tolist(), tolerance={"abs": 0.005}, explanation=explanation,
        params={"x": x, "gamma": gamma, "eps": RMS_NORM_EPS}, sources=[ZHANG],
    )


register(Family(
    name="layer-norm", topic="transformer-block",
    description={
        "en": "LayerNorm of one token's 3-4 features. params: x, gamma, beta (lists), eps. "
              "answer: the output γ ⊙ (x − μ)/√(σ² + ε) + β (list; σ² is the biased variance).",
        "zh": "一个 token 的 3-4 个特征做 LayerNorm。params：x、gamma、beta（列表）、eps。"
              "answer：输出 γ ⊙ (x − μ)/√(σ² + ε) + β（列表；σ² 为有偏方差）。",
    },
    generate=make_layer_norm,
))
register(Family(
    name="rms-norm", topic="transformer-block",
    description={
        "en": "RMSNorm of one token's 3-4 features. params: x, gamma (lists), eps. "
              "answer: γ ⊙ x / √(mean(x²) + ε) (list).",
        "zh": "一个 token 的 3-4 个特征做 RMSNorm。params：x、gamma（列表）、eps。answer：γ ⊙ x / √(mean(x²) + ε)（列表）。",
    },
    generate=make_rms_norm,
))
