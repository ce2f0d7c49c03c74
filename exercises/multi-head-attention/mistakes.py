"""Classic wrong multi-head attentions, each with the diagnosis it earns."""

import math

import torch
from torch import nn

from llmprep.exercise_api import Mistake


class _Base(nn.Module):
    def __init__(self, d_model, n_heads):
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def heads(self, t, B, T):
        return t.view(B, T, self.n_heads, self.d_head).transpose(1, 2)

    def attend(self, x, is_causal, scale, heads=None, use_causal=True, project=True):
        B, T, C = x.shape
        heads = heads or self.heads
        q, k, v = (heads(p(x), B, T) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-2, -1) / scale
        if is_causal and use_causal:
            scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, T, C)
        return self.out_proj(y) if project else y


class ScaledByDModel(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, math.sqrt(x.shape[-1]))


class HeadsWithoutTranspose(_Base):
    def forward(self, x, is_causal=False):
        def heads(t, B, T):
            return t.reshape(B, self.n_heads, T, self.d_head)  # mixes positions and features

        B, T, C = x.shape
        q, k, v = (heads(p(x), B, T) for p in (self.q_proj, self.k_proj, self.v_proj))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if is_causal:
            scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), float("-inf"))
        y = (torch.softmax(scores, dim=-1) @ v).reshape(B, T, C)
        return self.out_proj(y)


class MissingOutProj(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, math.sqrt(self.d_head), project=False)


class IgnoresIsCausal(_Base):
    def forward(self, x, is_causal=False):
        return self.attend(x, is_causal, math.sqrt(self.d_head), use_causal=False)


MISTAKES = [
    Mistake(id="scaled-by-sqrt-d-model", implementation=ScaledByDModel,
            en="Looks like you scaled by √d_model instead of √d_head (d_head = d_model / n_heads).",
            zh="看起来你除以了 √d_model，而不是 √d_head（d_head = d_model / n_heads）。"),
    Mistake(id="heads-without-transpose", implementation=HeadsWithoutTranspose,
            en="Looks like you made the heads with a reshape straight to (B, n_heads, T, d_head): that mixes positions and features. View as (B, T, n_heads, d_head), then transpose(1, 2).",
            zh="看起来你直接 reshape 成 (B, n_heads, T, d_head) 来拆分多头：这会把位置和特征混在一起。应先 view 成 (B, T, n_heads, d_head)，再 transpose(1, 2)。"),
    Mistake(id="missing-out-proj", implementation=MissingOutProj,
            en="Looks like you return the concatenated heads without out_proj: the heads are mixed by one shared W_O.",
            zh="看起来你返回了拼接后的各头，却没有经过 out_proj：各头要由一个共享的 W_O 混合。"),
    Mistake(id="ignores-is-causal", implementation=IgnoresIsCausal,
            en="Looks like you ignore is_causal: with is_causal=True position i must not attend to positions after it.",
            zh="看起来你忽略了 is_causal：is_causal=True 时位置 i 不能关注它之后的位置。"),
]
