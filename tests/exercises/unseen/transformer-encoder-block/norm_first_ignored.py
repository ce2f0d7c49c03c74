"""norm_first ignored: always post-LN.

fact: wrong only when norm_first is True
named_if: norm_first
"""
import torch
import torch.nn.functional as F
from torch import nn


class TransformerEncoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def _ff(self, h):
        return self.linear2(F.relu(self.linear1(h)))


    def forward(self, x, key_padding_mask=None):
        h = self.self_attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)[0]
        z = self.norm1(x + h)
        return self.norm2(z + self._ff(z))
