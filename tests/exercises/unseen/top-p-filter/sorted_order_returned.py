"""Filtered in sorted order and returned sorted: never scattered back to vocabulary order.

fact: the right values in the wrong places (a permutation along the vocabulary axis)
named_if: wrong places|permut|reorder|sorted
"""
import torch


def top_p_filter(logits, p):
    sorted_logits, _ = logits.sort(-1, descending=True)
    probs = sorted_logits.softmax(-1)
    ahead = probs.cumsum(-1) - probs
    return sorted_logits.masked_fill(ahead >= p, float("-inf"))
