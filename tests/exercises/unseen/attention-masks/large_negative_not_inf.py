"""-1e9 instead of -inf in the additive masks.

fact: the reference is -inf where the output is finite (not the reverse)
named_if: reference (is|has) -?inf|−inf where
"""
import torch


def attention_masks(lengths, max_len):
    T = max_len
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    pad = torch.arange(T)[None, :] >= lengths[:, None]
    return {
        "causal": torch.zeros(T, T).masked_fill(future, -1e9),
        "causal_bool": future,
        "key_padding": pad,
        "key_padding_additive": torch.zeros(pad.shape).masked_fill(pad, -1e9),
        "sdpa": (~future)[None, None] & ~pad[:, None, None, :],
    }
