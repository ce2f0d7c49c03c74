"""The sdpa mask returned as (B, T, T), without the head axis of size 1.

fact: wrong shape of output['sdpa'] (B×T×T, expected B×1×T×T)
named_if: shape.*sdpa|sdpa.*shape
"""
import torch


def attention_masks(lengths, max_len):
    T = max_len
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    pad = torch.arange(T)[None, :] >= lengths[:, None]
    return {
        "causal": torch.zeros(T, T).masked_fill(future, float("-inf")),
        "causal_bool": future,
        "key_padding": pad,
        "key_padding_additive": torch.zeros(pad.shape).masked_fill(pad, float("-inf")),
        "sdpa": (~future)[None] & ~pad[:, None, :],
    }
