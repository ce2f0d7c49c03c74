"""Pre-LN normalizes memory too: keys and values come from norm2(memory).

fact: wrong only when norm_first is True
named_if: norm_first
"""
import torch
import torch.nn.functional as F
from torch import nn


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

    def _ff(self, h):
        return self.linear2(F.relu(self.linear1(h)))


    def forward(self, tgt, memory, memory_key_padding_mask=None):
        T = tgt.shape[1]
        causal = torch.ones(T, T, dtype=torch.bool, device=tgt.device).triu(1)

        def sa(h):
            return self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]

        def ca(h, mem):
            return self.multihead_attn(h, mem, mem, key_padding_mask=memory_key_padding_mask,
                                       need_weights=False)[0]

        x = tgt
        if self.norm_first:
            x = x + sa(self.norm1(x))
            x = x + ca(self.norm2(x), self.norm2(memory))
            return x + self._ff(self.norm3(x))
        x = self.norm1(x + sa(x))
        x = self.norm2(x + ca(x, memory))
        return self.norm3(x + self._ff(x))
