"""Classic wrong attentions, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def _attend(scores, v, mask, is_causal, fill=float("-inf"), causal_diagonal=0, bottom_right=False, axis=-1):
    L, S = scores.shape[-2], scores.shape[-1]
    if is_causal:
        offset = (S - L) if bottom_right else 0
        causal = torch.ones(L, S, dtype=torch.bool).tril(offset + causal_diagonal)
        scores = scores.masked_fill(~causal, fill)
    if mask is not None:
        scores = scores.masked_fill(~mask, fill)
    return torch.softmax(scores, dim=axis) @ v


def no_scaling(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1), v, mask, is_causal)


def scaled_by_d(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / q.size(-1), v, mask, is_causal)


def softmax_over_queries(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), v, mask, is_causal, axis=-2)


def inverted_mask(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), v, None if mask is None else ~mask, is_causal)


def causal_without_diagonal(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), v, mask, is_causal, causal_diagonal=-1)


def causal_bottom_right(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), v, mask, is_causal, bottom_right=True)


def masked_with_zero(q, k, v, mask=None, is_causal=False):
    return _attend(q @ k.transpose(-2, -1) / math.sqrt(q.size(-1)), v, mask, is_causal, fill=0.0)


MISTAKES = [
    Mistake(id="no-scaling", implementation=no_scaling,
            en="Looks like you did not scale the scores: divide q kᵀ by √D (D = q.size(-1)).",
            zh="看起来你没有缩放分数：应把 q kᵀ 除以 √D（D = q.size(-1)）。"),
    Mistake(id="scaled-by-d", implementation=scaled_by_d,
            en="Looks like you scaled by D instead of √D.",
            zh="看起来你除以了 D，而不是 √D。"),
    Mistake(id="softmax-over-queries", implementation=softmax_over_queries,
            en="Looks like your softmax runs over the query axis (dim=-2): each query's weights over the keys must sum to 1, so use dim=-1.",
            zh="看起来你在查询轴（dim=-2）上做了 softmax：每个查询对所有键的权重之和应为 1，应使用 dim=-1。"),
    Mistake(id="inverted-mask", implementation=inverted_mask,
            en="Looks like your mask is inverted: in the F.scaled_dot_product_attention convention True means the query may attend to that key.",
            zh="看起来你的掩码反了：按 F.scaled_dot_product_attention 的约定，True 表示该查询可以关注这个键。"),
    Mistake(id="causal-without-diagonal", implementation=causal_without_diagonal,
            en="Looks like your causal mask hides the diagonal: query i may attend keys j <= i, itself included (tril(), not tril(-1)).",
            zh="看起来你的因果掩码遮住了对角线：查询 i 可以关注 j <= i 的键，包括它自己（用 tril()，不是 tril(-1)）。"),
    Mistake(id="causal-bottom-right", implementation=causal_bottom_right,
            en="Looks like your causal mask is aligned bottom-right (query i sees keys j <= i + S - L): this exercise, like PyTorch's is_causal, aligns it top-left (j <= i).",
            zh="看起来你的因果掩码是右下角对齐的（查询 i 看 j <= i + S - L 的键）：本题与 PyTorch 的 is_causal 一样采用左上角对齐（j <= i）。"),
    Mistake(id="masked-with-zero", implementation=masked_with_zero,
            en="Looks like you masked scores with 0 instead of -inf: exp(0) = 1, so masked keys still get weight.",
            zh="看起来你用 0 而不是 -inf 来遮盖分数：exp(0) = 1，被遮盖的键仍然有权重。"),
]
