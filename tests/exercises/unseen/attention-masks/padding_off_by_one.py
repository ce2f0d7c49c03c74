"""Padding starts one position late: `>` instead of `>=` keeps the first padding token as real.

fact: the padding masks are shifted by one position along the sequence axis
named_if: shift|off by one|one position
"""
import torch


def attention_masks(lengths, max_len):
    T = max_len
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    pad = torch.arange(T)[None, :] > lengths[:, None]
    return {
        "causal": torch.zeros(T, T).masked_fill(future, float("-inf")),
        "causal_bool": future,
        "key_padding": pad,
        "key_padding_additive": torch.zeros(pad.shape).masked_fill(pad, float("-inf")),
        "sdpa": (~future)[None, None] & ~pad[:, None, None, :],
    }
