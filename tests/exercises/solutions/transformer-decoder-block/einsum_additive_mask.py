import math

import torch
from torch import nn


def attend(x, source, mha, additive_mask):
    """Multi-head attention by hand from nn.MultiheadAttention's packed weights; softmax in float64."""
    B, T, D = x.shape
    S, H = source.shape[1], mha.num_heads
    w_q, w_k, w_v = mha.in_proj_weight.chunk(3)
    b_q, b_k, b_v = mha.in_proj_bias.chunk(3)
    q = (torch.einsum("btd,ed->bte", x, w_q) + b_q).view(B, T, H, D // H)
    k = (torch.einsum("bsd,ed->bse", source, w_k) + b_k).view(B, S, H, D // H)
    v = (torch.einsum("bsd,ed->bse", source, w_v) + b_v).view(B, S, H, D // H)
    scores = torch.einsum("bthd,bshd->bhts", q, k) / math.sqrt(D // H) + additive_mask
    weights = torch.softmax(scores.double(), dim=-1).to(x.dtype)
    return mha.out_proj(torch.einsum("bhts,bshd->bthd", weights, v).reshape(B, T, D))


class TransformerDecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.multihead_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)

    def forward(self, tgt, memory, memory_key_padding_mask=None):
        B, T, _ = tgt.shape
        S = memory.shape[1]
        causal = torch.full((T, T), float("-inf"), dtype=tgt.dtype, device=tgt.device).triu(1)
        cross = torch.zeros(B, 1, 1, S, dtype=tgt.dtype, device=tgt.device)
        if memory_key_padding_mask is not None:
            cross = cross.masked_fill(memory_key_padding_mask[:, None, None, :], float("-inf"))
        sublayers = [
            (lambda h: attend(h, h, self.self_attn, causal), self.norm1),
            (lambda h: attend(h, memory, self.multihead_attn, cross), self.norm2),
            (lambda h: self.linear2(torch.relu(self.linear1(h))), self.norm3),
        ]
        x = tgt
        for layer, norm in sublayers:
            x = x + layer(norm(x)) if self.norm_first else norm(x + layer(x))
        return x
