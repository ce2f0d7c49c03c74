"""Classic wrong nucleus filters, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def drops_crossing_token(logits, p):
    probs = torch.softmax(logits, dim=-1)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    remove_sorted = sorted_probs.cumsum(dim=-1) > p  # the token that crosses p is dropped too
    remove_sorted[..., 0] = False
    remove = remove_sorted.scatter(-1, order, remove_sorted)
    return logits.masked_fill(remove, float("-inf"))


def sorted_ascending(logits, p):
    probs = torch.softmax(logits, dim=-1)
    sorted_probs, order = probs.sort(dim=-1)  # least likely first
    remove_sorted = sorted_probs.cumsum(dim=-1) - sorted_probs >= p
    remove = remove_sorted.scatter(-1, order, remove_sorted)
    return logits.masked_fill(remove, float("-inf"))


def cumulates_logits(logits, p):
    sorted_logits, order = logits.sort(dim=-1, descending=True)
    remove_sorted = sorted_logits.cumsum(dim=-1) - sorted_logits >= p  # logits are not probabilities
    remove = remove_sorted.scatter(-1, order, remove_sorted)
    return logits.masked_fill(remove, float("-inf"))


def returns_sorted_order(logits, p):
    sorted_logits, order = logits.sort(dim=-1, descending=True)
    sorted_probs = torch.softmax(sorted_logits, dim=-1)
    remove_sorted = sorted_probs.cumsum(dim=-1) - sorted_probs >= p
    return sorted_logits.masked_fill(remove_sorted, float("-inf"))  # never scattered back


def top_k_of_p_times_vocab(logits, p):
    k = max(1, int(p * logits.shape[-1]))  # p read as a fraction of the vocabulary
    kth_largest = logits.topk(k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth_largest, float("-inf"))


MISTAKES = [
    Mistake(id="drops-crossing-token", implementation=drops_crossing_token,
            en="Looks like you drop the token whose probability carries the cumulative sum past p: the nucleus is the "
                  "smallest set that REACHES p, so that token belongs to it (remove a token only when the tokens before it "
                  "already reach p: cumsum - prob >= p, or shift the mask right by one).",
            zh="看起来你把使累积概率越过 p 的那个词也删掉了：核是累积概率达到 p 的最小集合，这个词属于核"
                  "（只有当排在它前面的词已经达到 p 时才删除它：cumsum - prob >= p，或把掩码右移一位）。"),
    Mistake(id="sorted-ascending", implementation=sorted_ascending,
            en="Looks like you sorted the probabilities in ascending order, so the nucleus is built from the LEAST likely "
                  "tokens: sort with descending=True.",
            zh="看起来你把概率按升序排序，于是核由最不可能的词组成：排序时用 descending=True。"),
    Mistake(id="cumulates-logits", implementation=cumulates_logits,
            en="Looks like you accumulate the raw logits instead of probabilities: apply softmax over the last dimension "
                  "first, then take the cumulative sum of the sorted probabilities.",
            zh="看起来你累加的是原始 logits 而不是概率：先在最后一维上做 softmax，再对排好序的概率求累积和。"),
    Mistake(id="returns-sorted-order", implementation=returns_sorted_order,
            en="Looks like you return the filtered logits in sorted order: scatter the mask back to vocabulary order "
                  "(mask.scatter(-1, order, mask)) and apply it to the original logits, so index i is still token i.",
            zh="看起来你返回的是排序后顺序的 logits：要把掩码 scatter 回词表顺序（mask.scatter(-1, order, mask)），"
                  "再作用到原始 logits 上，使下标 i 仍然对应词 i。"),
    Mistake(id="top-k-instead-of-top-p", implementation=top_k_of_p_times_vocab,
            en="Looks like you keep a fixed number of tokens (k = p·V, top-k): top-p keeps the smallest set of most likely "
                  "tokens whose probabilities add up to at least p, so its size depends on the distribution.",
            zh="看起来你保留了固定数量的词（k = p·V，即 top-k）：top-p 保留概率之和至少为 p 的最可能词的最小集合，"
                  "它的大小取决于分布。"),
]
