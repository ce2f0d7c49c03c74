"""Ignored rows found with the constant -100, not the ignore_index argument.

fact: wrong only when ignore_index is not the default
named_if: ignore_index
"""
import torch


def cross_entropy(logits, targets, ignore_index=-100):
    keep = targets != -100
    x = logits[keep]
    t = targets[keep]
    lse = x.logsumexp(dim=-1)
    picked = x.gather(1, t[:, None]).squeeze(1)
    return (lse - picked).mean()
