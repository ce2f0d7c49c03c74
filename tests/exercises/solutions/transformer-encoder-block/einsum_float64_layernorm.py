import math

import torch
from torch import nn


class TransformerEncoderBlock(nn.Module):
    """Attention by hand from the packed in_proj_weight (einsum), LayerNorm by hand in float64."""

    def __init__(self, d_model, n_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.n_heads = n_heads
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    @staticmethod
    def layer_norm(x, norm):
        x64 = x.double()
        mean = x64.mean(-1, keepdim=True)
        var = ((x64 - mean) ** 2).mean(-1, keepdim=True)
        y = (x64 - mean) / torch.sqrt(var + norm.eps)
        return (y * norm.weight.double() + norm.bias.double()).to(x.dtype)

    def attention(self, x, key_padding_mask):
        B, T, D = x.shape
        H = self.n_heads
        qkv = torch.einsum("btd,ed->bte", x, self.self_attn.in_proj_weight) + self.self_attn.in_proj_bias
        q, k, v = (t.reshape(B, T, H, D // H) for t in qkv.split(D, dim=-1))
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k) / math.sqrt(D // H)
        if key_padding_mask is not None:
            scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
        out = torch.einsum("bhqk,bkhd->bqhd", scores.softmax(dim=-1), v).reshape(B, T, D)
        return self.self_attn.out_proj(out)

    def forward(self, x, key_padding_mask=None):
        ffn = lambda h: self.linear2(torch.clamp_min(self.linear1(h), 0))  # noqa: E731
        if self.norm_first:
            h = x + self.attention(self.layer_norm(x, self.norm1), key_padding_mask)
            return h + ffn(self.layer_norm(h, self.norm2))
        h = self.layer_norm(x + self.attention(x, key_padding_mask), self.norm1)
        return self.layer_norm(h + ffn(h), self.norm2)
