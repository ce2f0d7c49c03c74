"""softmax(dim=0): probabilities across the batch instead of over the vocabulary.

fact: wrong only when there is more than one row (a leading axis larger than 1)
named_if: > 1|more than one|batch|axis
"""
import torch


def top_p_filter(logits, p):
    probs = logits.softmax(0)
    probs, order = probs.sort(-1, descending=True)
    ahead = probs.cumsum(-1) - probs
    remove = torch.zeros_like(ahead, dtype=torch.bool).scatter(-1, order, ahead >= p)
    return logits.masked_fill(remove, float("-inf"))
