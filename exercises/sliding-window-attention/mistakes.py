"""Classic wrong sliding windows, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def _attend(q, k, v, window, *, extra=0, causal=True, top_left=False, scale=None):
    L, S = q.size(-2), k.size(-2)
    start = 0 if top_left else S - L
    i = torch.arange(start, start + L)[:, None]
    j = torch.arange(S)[None, :]
    inside = (i - j).abs() < window + extra
    allowed = inside & (j <= i) if causal else inside
    scale = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    scores = (q @ k.transpose(-2, -1) * scale).masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def window_plus_one(q, k, v, window):
    return _attend(q, k, v, window, extra=1)


def not_causal(q, k, v, window):
    return _attend(q, k, v, window, causal=False)


def top_left_aligned(q, k, v, window):
    return _attend(q, k, v, window, top_left=True)


def no_scaling(q, k, v, window):
    return _attend(q, k, v, window, scale=1.0)


MISTAKES = [
    Mistake(id="window-plus-one", implementation=window_plus_one,
            en="Looks like each query sees window + 1 keys (j >= i - window): here the window counts the query "
                  "itself, so keep i - window < j <= i, exactly `window` keys (window = 1: only itself).",
            zh="看起来每个查询看到了 window + 1 个键（j >= i - window）：本题的窗口包含查询自己，应保留 "
                  "i - window < j <= i，恰好 `window` 个键（window = 1 时只有它自己）。"),
    Mistake(id="not-causal", implementation=not_causal,
            en="Looks like your window is symmetric (|i - j| < window): sliding-window attention is causal, "
                  "a query never sees keys after its own position.",
            zh="看起来你的窗口是对称的（|i - j| < window）：滑动窗口注意力是因果的，查询永远看不到自己之后的键。"),
    Mistake(id="top-left-aligned", implementation=top_left_aligned,
            en="Looks like you placed the queries at positions 0..L-1: when L < S they are the LAST L positions "
                  "(query t sits at S - L + t, as when decoding with a cache).",
            zh="看起来你把查询放在了位置 0..L-1：L < S 时它们是最后 L 个位置（查询 t 位于 S - L + t，"
                  "与带缓存解码时一样）。"),
    Mistake(id="no-scaling", implementation=no_scaling,
            en="Looks like you did not scale the scores: divide q kᵀ by √D (D = q.size(-1)).",
            zh="看起来你没有缩放分数：应把 q kᵀ 除以 √D（D = q.size(-1)）。"),
]
