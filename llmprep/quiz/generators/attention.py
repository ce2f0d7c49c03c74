"""Families `attention` (softmax(QKᵀ/√d_k + M)·V by hand) and `softmax-temperature`."""

from __future__ import annotations

import math

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import (
    Draw,
    fixed,
    make_question,
    matrix_text,
    short,
    vector_text,
)

VASWANI = {"ref": "Vaswani et al. 2017, Attention Is All You Need, §3.2.1 (scaled dot-product attention)"}
HINTON = {"ref": "Hinton, Vinyals, Dean 2015, Distilling the Knowledge in a Neural Network, §2 (softmax temperature)"}


def attention_output(q: list[list[float]], k: list[list[float]], v: list[list[float]], causal: bool) -> dict:
    """Every intermediate of softmax(QKᵀ/√d_k + M)·V: scores, scaled, exps (0 where masked), sums, weights, output."""
    q_, k_, v_ = np.array(q), np.array(k), np.array(v)
    n, d_k = q_.shape
    scores = q_ @ k_.T  # (n, n)
    scaled = scores / math.sqrt(d_k)
    allowed = np.tril(np.ones((n, n), dtype=bool)) if causal else np.ones((n, n), dtype=bool)
    # Subtracting nothing: the scaled scores stay within ±8, and the exponentials shown are then
    # the ones a person computes.
    exps = np.where(allowed, np.exp(scaled), 0.0)
    sums = exps.sum(axis=1)
    weights = exps / sums[:, None]
    output = weights @ v_  # (n, d_v)
    return {"scores": scores, "scaled": scaled, "allowed": allowed, "exps": exps, "sums": sums,
            "weights": weights, "output": output}


def make_attention(seed: int) -> Question:
    """An attention question: Q, K (n x d_k), V (n x d_v), one-decimal entries in [-1, 1]."""
    draw = Draw(seed)
    n, d_k, d_v = draw.integer(2, 3), draw.integer(2, 4), draw.integer(2, 3)
    causal = draw.chance(0.5)
    q, k, v = draw.matrix(n, d_k, -1, 1), draw.matrix(n, d_k, -1, 1), draw.matrix(n, d_v, -1, 1)
    parts = attention_output(q, k, v, causal)
    answer = parts["output"].tolist()
    root = fixed(math.sqrt(d_k))
    rows_en, rows_zh = [], []
    for i in range(n):
        kept = [j for j in range(n) if parts["allowed"][i, j]]
        exps = ", ".join(f"exp({fixed(parts['scaled'][i, j])}) = {fixed(parts['exps'][i, j])}" for j in kept)
        weights = vector_text(parts["weights"][i])
        terms = " + ".join(f"{fixed(parts['weights'][i, j])}·{vector_text(v[j], short)}" for j in kept)
        out = vector_text(parts["output"][i])
        masked = [j + 1 for j in range(n) if not parts["allowed"][i, j]]
        mask_en = f" (positions {masked} masked: exp(−∞) = 0)" if masked else ""
        mask_zh = f"（位置 {masked} 被掩码：exp(−∞) = 0）" if masked else ""
        rows_en.append(f"Row {i + 1}{mask_en}: {exps}; row sum {fixed(parts['sums'][i])}; "
                       f"weights {weights}; output {terms} = {out}.")
        rows_zh.append(f"第 {i + 1} 行{mask_zh}：{exps}；行和 {fixed(parts['sums'][i])}；"
                       f"权重 {weights}；输出 {terms} = {out}。")
    mask_en = "causal mask M (−∞ above the diagonal: position i sees positions ≤ i)" if causal else "no mask (M = 0)"
    mask_zh = "因果掩码 M（对角线以上为 −∞：位置 i 只能看到 ≤ i 的位置）" if causal else "无掩码（M = 0）"
    explanation = {
        "en": (f"Scores S = QKᵀ = {matrix_text(parts['scores'])}. Divide by √d_k = √{d_k} = {root}: "
               f"S/√d_k = {matrix_text(parts['scaled'])}. {mask_en[0].upper() + mask_en[1:]}. Softmax over each row "
               "(over the keys), then each output row is the weighted sum of the rows of V:\n"
               + "\n".join(rows_en)
               + f"\nOutput = {matrix_text(parts['output'])}. Each output entry lies between the smallest and "
               "largest entry of its column of V (a convex combination)."),
        "zh": (f"得分 S = QKᵀ = {matrix_text(parts['scores'])}。除以 √d_k = √{d_k} = {root}："
               f"S/√d_k = {matrix_text(parts['scaled'])}。{mask_zh}。对每一行（沿 key 的方向）做 softmax，"
               "每个输出行是 V 各行的加权和：\n"
               + "\n".join(rows_zh)
               + f"\n输出 = {matrix_text(parts['output'])}。每个输出元素都落在 V 对应列的最小值与最大值之间（凸组合）。"),
    }
    mask_prompt_en = "with a causal mask (−∞ above the diagonal)" if causal else "with no mask"
    mask_prompt_zh = "使用因果掩码（对角线以上为 −∞）" if causal else "不加掩码"
    prompt = {
        "en": (f"Scaled dot-product attention {mask_prompt_en}. Rows are positions. "
               f"Q = {matrix_text(q, short)}, K = {matrix_text(k, short)}, V = {matrix_text(v, short)} "
               f"(d_k = {d_k}). Compute the output softmax(QKᵀ/√d_k + M)·V ({n}×{d_v})."),
        "zh": (f"缩放点积注意力，{mask_prompt_zh}。每行是一个位置。"
               f"Q = {matrix_text(q, short)}，K = {matrix_text(k, short)}，V = {matrix_text(v, short)}"
               f"（d_k = {d_k}）。求输出 softmax(QKᵀ/√d_k + M)·V（{n}×{d_v}）。"),
    }
    return make_question(
        family="attention", seed=seed, topic="attention", difficulty="medium" if n == 2 else "hard",
        prompt=prompt, answer=answer, tolerance={"abs": 0.005}, explanation=explanation,
        params={"q": q, "k": k, "v": v, "causal": causal}, sources=[VASWANI],
    )


def softmax_parts(logits: list[float], temperature: float) -> dict:
    """z/T, exp(z/T), their sum and the probabilities."""
    scaled = np.array(logits) / temperature
    exps = np.exp(scaled)
    return {"scaled": scaled, "exps": exps, "sum": exps.sum(), "probs": exps / exps.sum()}


def make_softmax_temperature(seed: int) -> Question:
    """softmax(z / T) for 3-4 one-decimal logits in [-3, 3] and T in [0.5, 2.0]."""
    draw = Draw(seed)
    logits = draw.vector(draw.integer(3, 4), -3, 3)
    temperature = draw.pick([0.5, 0.7, 0.8, 1.2, 1.5, 2.0])
    parts = softmax_parts(logits, temperature)
    exps = ", ".join(fixed(e) for e in parts["exps"])
    trend_en = "sharper (closer to greedy)" if temperature < 1 else "flatter (more random)"
    trend_zh = "更尖锐（更接近贪心）" if temperature < 1 else "更平坦（更随机）"
    explanation = {
        "en": (f"Divide the logits by T = {short(temperature)}: z/T = {vector_text(parts['scaled'])}. "
               f"Exponentials: {exps}. Sum = {fixed(parts['sum'])}. Probabilities = exp / sum = "
               f"{vector_text(parts['probs'])}. T {'<' if temperature < 1 else '>'} 1 makes the distribution "
               f"{trend_en} than softmax(z)."),
        "zh": (f"logits 除以温度 T = {short(temperature)}：z/T = {vector_text(parts['scaled'])}。"
               f"指数：{exps}。求和 = {fixed(parts['sum'])}。概率 = 指数 / 和 = {vector_text(parts['probs'])}。"
               f"T {'<' if temperature < 1 else '>'} 1 使分布比 softmax(z) {trend_zh}。"),
    }
    prompt = {
        "en": (f"Sampling with temperature T = {short(temperature)} from logits z = {vector_text(logits, short)}. "
               "What are the probabilities softmax(z/T)?"),
        "zh": f"用温度 T = {short(temperature)} 从 logits z = {vector_text(logits, short)} 采样。概率 softmax(z/T) 是多少？",
    }
    return make_question(
        family="softmax-temperature", seed=seed, topic="inference", difficulty="easy" if len(logits) == 3 else "medium",
        prompt=prompt, answer=parts["probs"].tolist(), tolerance={"abs": 0.002}, explanation=explanation,
        params={"logits": logits, "temperature": temperature}, sources=[HINTON],
    )


register(Family(
    name="attention", topic="attention",
    description={
        "en": "softmax(QKᵀ/√d_k + M)·V for small Q, K, V, optionally causal. params: q, k, v (lists of rows), "
              "causal (bool). answer: the output matrix (n×d_v, list of rows); type it row by row.",
        "zh": "小矩阵 Q、K、V 的 softmax(QKᵀ/√d_k + M)·V，可带因果掩码。params：q、k、v（按行的列表）、causal（布尔）。"
              "answer：输出矩阵（n×d_v，按行的列表），逐行输入。",
    },
    generate=make_attention,
))
register(Family(
    name="softmax-temperature", topic="inference",
    description={
        "en": "softmax(z/T) for 3-4 logits. params: logits (list), temperature (T). "
              "answer: the probabilities (list, one per logit).",
        "zh": "3-4 个 logit 的 softmax(z/T)。params：logits（列表）、temperature（T）。answer：各 logit 的概率（列表）。",
    },
    generate=make_softmax_temperature,
))
