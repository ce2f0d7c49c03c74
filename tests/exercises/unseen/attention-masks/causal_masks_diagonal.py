"""triu(diagonal=0): the diagonal is masked too, so a query may not attend to itself.

fact: wrong only on the diagonal of the causal masks
named_if: diagonal
"""
import torch


def attention_masks(lengths, max_len):
    T = max_len
    future = torch.triu(torch.ones(T, T, dtype=torch.bool))
    causal = torch.zeros(T, T).masked_fill(future, float("-inf"))
    pad = torch.arange(T)[None, :] >= lengths[:, None]
    return {
        "causal": causal,
        "causal_bool": future,
        "key_padding": pad,
        "key_padding_additive": torch.zeros(pad.shape).masked_fill(pad, float("-inf")),
        "sdpa": (~future)[None, None] & ~pad[:, None, None, :],
    }
