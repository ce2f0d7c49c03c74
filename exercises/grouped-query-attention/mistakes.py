"""Classic wrong grouped-query attentions, each with the diagnosis it earns."""

import math

import torch
from torch import nn

from llmprep.exercise_api import Mistake


class _Base(nn.Module):
    def __init__(self, d_model, n_heads, n_kv_heads):
        super().__init__()
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, n_heads * self.d_head, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.out_proj = nn.Linear(n_heads * self.d_head, d_model, bias=False)

    def attend(self, x, is_causal, expand_kv, scale=None, use_causal=True):
        B, T, C = x.shape
        q = self.q_proj(x).view(B, T, self.n_heads, self.d_head).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.n_kv_heads, self.d_head).transpose(1, 2)
        k, v = expand_kv(k), expand_kv(v)
        scores = q @ k.transpose(-2, -1) / (scale or math.sqrt(self.d_head))
        if is_causal and use_causal:
            scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, -1)
        return self.out_proj(y)

    def interleave(self, t):
        return t.repeat_interleave(self.n_heads // self.n_kv_heads, dim=1)


class RepeatInsteadOfInterleave(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, lambda t: t.repeat(1, self.n_heads // self.n_kv_heads, 1, 1))


class ScaledByKvHeadDim(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, self.interleave, scale=math.sqrt(x.shape[-1] // self.n_kv_heads))


class FirstKvHeadOnly(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, lambda t: t[:, :1].expand(-1, self.n_heads, -1, -1))


class IgnoresIsCausal(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, self.interleave, use_causal=False)


MISTAKES = [
    Mistake(id="repeat-instead-of-repeat-interleave", implementation=RepeatInsteadOfInterleave,
            en="Looks like you tiled the KV heads with repeat ([kv0, kv1, kv0, kv1]) where repeat_interleave is "
                  "right ([kv0, kv0, kv1, kv1]): query head h belongs to group h // (n_heads / n_kv_heads), so each "
                  "KV head serves a block of consecutive query heads.",
            zh="看起来你用 repeat 平铺了 KV 头（[kv0, kv1, kv0, kv1]），而正确的是 repeat_interleave（[kv0, kv0, kv1, kv1]）："
                  "查询头 h 属于第 h // (n_heads / n_kv_heads) 组，每个 KV 头服务一段连续的查询头。"),
    Mistake(id="scaled-by-kv-head-count", implementation=ScaledByKvHeadDim,
            en="Looks like you scaled by √(d_model / n_kv_heads), a head size computed from the KV head count: every "
                  "head, query or key/value, has d_head = d_model / n_heads features, so scale by 1/√d_head.",
            zh="看起来你除以了 √(d_model / n_kv_heads)，即用 KV 头数算出的头维度：无论查询头还是键值头，每个头都有 "
                  "d_head = d_model / n_heads 个特征，所以缩放因子是 1/√d_head。"),
    Mistake(id="first-kv-head-only", implementation=FirstKvHeadOnly,
            en="Looks like every query head attends with the first K/V head, as in multi-query attention: with "
                  "n_kv_heads > 1, query head h uses KV head h // (n_heads / n_kv_heads).",
            zh="看起来所有查询头都只用了第一个 K/V 头，就像多查询注意力（MQA）那样：n_kv_heads > 1 时，"
                  "查询头 h 使用第 h // (n_heads / n_kv_heads) 个 KV 头。"),
    Mistake(id="ignores-is-causal", implementation=IgnoresIsCausal,
            en="Looks like you ignore is_causal: with is_causal=True position i must not attend to positions after it.",
            zh="看起来你忽略了 is_causal：is_causal=True 时位置 i 不能关注它之后的位置。"),
]
