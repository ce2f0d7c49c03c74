"""Removes every token whose inclusive cumulative probability exceeds p: drops the token that crosses p.

fact: the output is -inf where the reference keeps a finite logit (too few tokens kept)
named_if: -inf where the reference|removed|reference is finite
"""
import torch


def top_p_filter(logits, p):
    probs, order = logits.softmax(-1).sort(-1, descending=True)
    remove_sorted = probs.cumsum(-1) > p
    remove_sorted[..., 0] = False
    remove = torch.zeros_like(remove_sorted).scatter(-1, order, remove_sorted)
    return logits.masked_fill(remove, float("-inf"))
