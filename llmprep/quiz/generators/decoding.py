"""Family `top-p`: which tokens survive nucleus sampling for given logits and p."""

from __future__ import annotations

import numpy as np

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, make_question, short

HOLTZMAN = {"ref": "Holtzman et al. 2020, The Curious Case of Neural Text Degeneration, §3.1 (nucleus sampling)"}
# No one-letter words: they would read like the choice labels a), b), ...
WORDS = ["the", "cup", "cat", "dog", "sat", "ran", "on", "mat", "sun", "tea"]
# A cumulative probability this close to p is a knife edge: rounding by hand could flip the answer.
MARGIN = 0.01


def nucleus(logits: list[float], p: float) -> dict:
    """Probabilities, the order by probability, cumulative sums, and the kept set (smallest prefix with sum ≥ p)."""
    exps = np.exp(np.array(logits))
    probs = exps / exps.sum()
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    cumulative = np.cumsum(probs[order])
    size = int(np.searchsorted(cumulative, p)) + 1  # first prefix whose sum reaches p
    return {"exps": exps, "sum": exps.sum(), "probs": probs, "order": order, "cumulative": cumulative,
            "kept": sorted(order[:size])}


def make_top_p(seed: int) -> Question:
    """4-6 tokens with distinct one-decimal logits in [-2, 3], p from 0.5-0.95; at least 2 kept, 1 dropped."""
    draw = Draw(seed)
    while True:
        n = draw.integer(4, 6)
        logits = draw.vector(n, -2, 3)
        p = draw.pick([0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95])
        parts = nucleus(logits, p)
        if (len(set(logits)) == n and 2 <= len(parts["kept"]) < n
                and np.all(np.abs(parts["cumulative"] - p) >= MARGIN)):
            break
    tokens = draw.rng.sample(WORDS, n)
    order, cumulative = parts["order"], parts["cumulative"]
    exps = ", ".join(f"exp({short(logits[i])}) = {fixed(parts['exps'][i])}" for i in range(n))
    probs = ", ".join(f"{tokens[i]} {fixed(parts['probs'][i])}" for i in range(n))
    running = ", ".join(f"{tokens[i]} {fixed(c)}" for i, c in zip(order, cumulative, strict=True))
    kept_words = ", ".join(tokens[i] for i in order[:len(parts["kept"])])
    size = len(parts["kept"])
    explanation = {
        "en": (f"Softmax: {exps}; sum {fixed(parts['sum'])}; probabilities {probs}. Sorted from most to least "
               f"likely, the cumulative probabilities are {running}. The nucleus is the smallest set of top tokens "
               f"whose probability reaches p = {short(p)}: the first {size} ({kept_words}), since "
               f"{fixed(cumulative[size - 2])} < {short(p)} ≤ {fixed(cumulative[size - 1])}. The survivors are "
               "renormalised and sampled; the rest get probability 0."),
        "zh": (f"softmax：{exps}；求和 {fixed(parts['sum'])}；概率 {probs}。按概率从高到低排序，累计概率为 {running}。"
               f"核（nucleus）是累计概率达到 p = {short(p)} 的最小前缀：前 {size} 个（{kept_words}），因为 "
               f"{fixed(cumulative[size - 2])} < {short(p)} ≤ {fixed(cumulative[size - 1])}。保留的 token 重新归一化后采样，"
               "其余概率为 0。"),
    }
    listing = ", ".join(f"{tokens[i]}: {short(logits[i])}" for i in range(n))
    prompt = {
        "en": f"Top-p (nucleus) sampling with p = {short(p)}. The next-token logits are {listing}. "
              "Which tokens can be sampled? (Choose all that survive.)",
        "zh": f"top-p（核采样），p = {short(p)}。下一个 token 的 logits 为 {listing}。哪些 token 可能被采样到？（选出所有保留的。）",
    }
    return make_question(
        family="top-p", seed=seed, topic="inference", difficulty="medium", prompt=prompt, kind="multi",
        choices=[{"en": token, "zh": token} for token in tokens], answer=parts["kept"],
        explanation=explanation, params={"tokens": tokens, "logits": logits, "p": p}, sources=[HOLTZMAN],
    )


register(Family(
    name="top-p", topic="inference",
    description={
        "en": "Nucleus sampling: which tokens survive. params: tokens, logits (lists, same order), p. "
              "answer: the 0-based indices of the surviving tokens (a multi question; choices are the tokens).",
        "zh": "核采样：哪些 token 被保留。params：tokens、logits（同序列表）、p。"
              "answer：保留的 token 的下标（从 0 计；多选题，选项即各 token）。",
    },
    generate=make_top_p,
))
