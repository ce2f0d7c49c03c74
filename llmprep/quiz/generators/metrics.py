"""Families `perplexity` (from token probabilities, cross-entropy on the way) and `f1` (from counts)."""

from __future__ import annotations

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short, vector_text

JURAFSKY = {"ref": "Jurafsky and Martin, Speech and Language Processing (3rd ed. draft), §3.3 (perplexity)"}
RIJSBERGEN = {"ref": "van Rijsbergen 1979, Information Retrieval, ch. 7 (F-measure); Jurafsky and Martin, "
                     "Speech and Language Processing (3rd ed. draft), §4.7"}


def perplexity_parts(token_probs: list[float]) -> dict:
    """ln p per token, their sum, the mean negative log-likelihood (cross-entropy) and exp of it."""
    logs = np.log(np.array(token_probs))
    cross_entropy = -logs.mean()
    return {"logs": logs, "sum": logs.sum(), "cross_entropy": cross_entropy, "perplexity": np.exp(cross_entropy)}


def make_perplexity(seed: int) -> Question:
    """Perplexity of 3-6 tokens whose probabilities are one-decimal numbers in [0.1, 0.9]."""
    draw = Draw(seed)
    n = draw.integer(3, 6)
    probs = draw.vector(n, 0.1, 0.9)
    parts = perplexity_parts(probs)
    logs = ", ".join(f"ln {short(p)} = {fixed(v)}" for p, v in zip(probs, parts["logs"], strict=True))
    ce, ppl = fixed(parts["cross_entropy"]), fixed(parts["perplexity"])
    explanation = {
        "en": (f"Log-probabilities: {logs}. Sum = {fixed(parts['sum'])}. Cross-entropy = mean negative "
               f"log-likelihood = −({fixed(parts['sum'])})/{n} = {ce} nats per token. Perplexity = exp({ce}) = {ppl} "
               "(the same as 1 / the geometric mean of the probabilities). A model guessing uniformly over V tokens "
               "has perplexity V."),
        "zh": (f"对数概率：{logs}。求和 = {fixed(parts['sum'])}。交叉熵 = 平均负对数似然 = −({fixed(parts['sum'])})/{n} "
               f"= {ce} nats/token。困惑度 = exp({ce}) = {ppl}（等于各概率几何平均数的倒数）。"
               "在 V 个 token 上均匀猜测的模型困惑度为 V。"),
    }
    prompt = {
        "en": (f"A language model gives the {n} tokens of a sentence the probabilities {vector_text(probs, short)} "
               "(each given the tokens before it). What is the perplexity (natural log, per token)?"),
        "zh": f"语言模型给一句话的 {n} 个 token 的概率（各自以前文为条件）为 {vector_text(probs, short)}。"
              "困惑度是多少（自然对数，按 token 平均）？",
    }
    return make_question(
        family="perplexity", seed=seed, topic="evaluation", difficulty="easy", prompt=prompt,
        answer=float(parts["perplexity"]), tolerance={"rel": 0.005}, explanation=explanation,
        params={"token_probs": probs}, sources=[JURAFSKY],
    )


def f1_parts(tp: int, fp: int, fn: int) -> dict:
    """Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2PR/(P+R)."""
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


def make_f1(seed: int) -> Question:
    """Precision, recall and F1 from TP in 1..100 and FP, FN in 0..60."""
    draw = Draw(seed)
    tp, fp, fn = draw.integer(1, 100), draw.integer(0, 60), draw.integer(0, 60)
    tn = draw.integer(50, 500)  # given in the prompt: F1 does not use it, which is part of the lesson
    parts = f1_parts(tp, fp, fn)
    p, r, f = fixed(parts["precision"]), fixed(parts["recall"]), fixed(parts["f1"])
    explanation = {
        "en": (f"Precision = TP/(TP+FP) = {tp}/{tp + fp} = {p}. Recall = TP/(TP+FN) = {tp}/{tp + fn} = {r}. "
               f"F1 = 2PR/(P+R) = 2·{p}·{r}/({p}+{r}) = {f}, the same as 2TP/(2TP+FP+FN) = "
               f"{2 * tp}/{2 * tp + fp + fn}. F1 is the harmonic mean of P and R, not a weighted arithmetic mean; "
               f"TN = {tn} plays no part."),
        "zh": (f"精确率 = TP/(TP+FP) = {tp}/{tp + fp} = {p}。召回率 = TP/(TP+FN) = {tp}/{tp + fn} = {r}。"
               f"F1 = 2PR/(P+R) = 2·{p}·{r}/({p}+{r}) = {f}，也等于 2TP/(2TP+FP+FN) = {2 * tp}/{2 * tp + fp + fn}。"
               f"F1 是 P 与 R 的调和平均，不是加权算术平均；TN = {tn} 不参与计算。"),
    }
    counts = f"TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}"
    prompt = {
        "en": f"A binary classifier on a test set: {counts}. What are its precision, recall and F1 (in that order)?",
        "zh": f"二分类器在测试集上：{counts}。它的精确率、召回率和 F1 分别是多少（按此顺序）？",
    }
    return make_question(
        family="f1", seed=seed, topic="evaluation", difficulty="easy", prompt=prompt,
        answer=[parts["precision"], parts["recall"], parts["f1"]], tolerance={"abs": 0.002},
        explanation=explanation, params={"tp": tp, "fp": fp, "fn": fn, "tn": tn}, sources=[RIJSBERGEN],
    )


register(Family(
    name="perplexity", topic="evaluation",
    description={
        "en": "Perplexity from per-token probabilities. params: token_probs (list). "
              "answer: exp(−mean ln p); the explanation goes through the cross-entropy.",
        "zh": "由各 token 的概率求困惑度。params：token_probs（列表）。answer：exp(−mean ln p)；解析中给出交叉熵。",
    },
    generate=make_perplexity,
))
register(Family(
    name="f1", topic="evaluation",
    description={
        "en": "Precision, recall and F1 from confusion counts. params: tp, fp, fn, tn (tn is a distractor). "
              "answer: [precision, recall, f1].",
        "zh": "由混淆矩阵计数求精确率、召回率和 F1。params：tp、fp、fn、tn（tn 为干扰项）。answer：[precision, recall, f1]。",
    },
    generate=make_f1,
))
