"""key_padding built as 0/1 integers ((arange >= lengths).long()), not bool.

fact: wrong dtype of output['key_padding'] (int64, expected bool)
named_if: dtype.*key_padding|key_padding.*dtype
"""
import torch


def attention_masks(lengths, max_len):
    T = max_len
    future = torch.ones(T, T, dtype=torch.bool).triu(1)
    pad = torch.arange(T)[None, :] >= lengths[:, None]
    return {
        "causal": torch.zeros(T, T).masked_fill(future, float("-inf")),
        "causal_bool": future,
        "key_padding": pad.long(),
        "key_padding_additive": torch.zeros(pad.shape).masked_fill(pad, float("-inf")),
        "sdpa": (~future)[None, None] & ~pad[:, None, None, :],
    }
