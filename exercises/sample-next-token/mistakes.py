"""Classic wrong samplers, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _sample(logits, generator, temperature, top_k, top_p, *, scale_by=None, k_extra=0,
            nucleus_before_temperature=False, nucleus_ignores_top_k=False, use_global_rng=False):
    if temperature == 0:
        return logits.argmax(dim=-1)
    if scale_by == "multiply":
        z = logits * temperature
    elif scale_by == "probabilities":
        z = logits.clone()  # softmax(logits) / T: multinomial renormalizes, T has no effect
    else:
        z = logits / temperature
    untempered = logits.clone()
    if top_k is not None:
        k = min(top_k + k_extra, z.size(-1))
        kth = z.topk(k, dim=-1).values[:, -1:]
        untempered = untempered.masked_fill(z < kth, float("-inf"))
        z = z.masked_fill(z < kth, float("-inf"))
    if top_p is not None:
        if nucleus_before_temperature:
            basis = untempered
        elif nucleus_ignores_top_k:
            basis = logits / temperature
        else:
            basis = z
        sorted_probs, order = torch.softmax(basis, dim=-1).sort(dim=-1, descending=True)
        remove_sorted = sorted_probs.cumsum(dim=-1) - sorted_probs >= top_p
        z = z.masked_fill(remove_sorted.scatter(-1, order, remove_sorted), float("-inf"))
    probs = torch.softmax(z, dim=-1)
    return torch.multinomial(probs, 1, generator=None if use_global_rng else generator).squeeze(-1)


def multiplies_by_temperature(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, scale_by="multiply")


def temperature_on_probabilities(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, scale_by="probabilities")


def top_p_before_temperature(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, nucleus_before_temperature=True)


def top_p_ignores_top_k(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, nucleus_ignores_top_k=True)


def keeps_k_plus_one(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, k_extra=1)


def ignores_generator(logits, generator, temperature=1.0, top_k=None, top_p=None):
    return _sample(logits, generator, temperature, top_k, top_p, use_global_rng=True)


MISTAKES = [
    Mistake(id="multiplies-by-temperature", implementation=multiplies_by_temperature,
            en="Looks like you multiply the logits by the temperature: divide them (logits / T), so T < 1 sharpens the "
                  "distribution and T > 1 flattens it.",
            zh="看起来你把 logits 乘以了温度：应当除以温度（logits / T），这样 T < 1 使分布更尖锐，T > 1 使分布更平坦。"),
    Mistake(id="temperature-on-probabilities", implementation=temperature_on_probabilities,
            en="Looks like the temperature has no effect: dividing the probabilities by T changes nothing once they "
                  "are renormalized (torch.multinomial does that). Divide the logits: softmax(logits / T).",
            zh="看起来温度没有起作用：把概率除以 T 之后一旦重新归一化（torch.multinomial 会这样做）就没有任何变化。"
                  "应除 logits：softmax(logits / T)。"),
    Mistake(id="top-p-before-temperature", implementation=top_p_before_temperature,
            en="Looks like you choose the top-p nucleus from the probabilities before the temperature: apply the "
                  "temperature first, then top-k, then top-p on the tempered distribution.",
            zh="看起来你在施加温度之前就选了 top-p 核：应先除以温度，再做 top-k，然后在加温后的分布上做 top-p。"),
    Mistake(id="top-p-ignores-top-k", implementation=top_p_ignores_top_k,
            en="Looks like your top-p nucleus is measured on the full softmax, not on the distribution renormalized over "
                  "the top-k tokens: apply top-p to the logits that top-k left (the others are -inf), so the k kept tokens "
                  "sum to 1 before the nucleus is chosen.",
            zh="看起来你的 top-p 核是在完整的 softmax 上计算的，而不是在 top-k 之后重新归一化的分布上：应对 top-k 留下的 "
                  "logits（其余为 -inf）做 top-p，使保留的 k 个词在选核之前概率之和为 1。"),
    Mistake(id="keeps-k-plus-one", implementation=keeps_k_plus_one,
            en="Looks like your top-k keeps k + 1 tokens (an off-by-one in the threshold): keep exactly the k largest, "
                  "e.g. mask z < z.topk(k).values[:, -1:].",
            zh="看起来你的 top-k 保留了 k + 1 个词（阈值差了一位）：应恰好保留最大的 k 个，例如遮盖 z < z.topk(k).values[:, -1:]。"),
    Mistake(id="ignores-generator", implementation=ignores_generator,
            en="Looks like you draw from the global random number generator: pass `generator` to torch.multinomial (or "
                  "torch.rand), so the same generator seed gives the same tokens.",
            zh="看起来你用的是全局随机数生成器：要把 `generator` 传给 torch.multinomial（或 torch.rand），"
                  "这样相同的生成器种子会得到相同的词。"),
]
