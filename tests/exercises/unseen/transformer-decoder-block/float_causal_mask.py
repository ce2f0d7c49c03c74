"""The causal mask passed as a float 0/1 tensor: nn.MultiheadAttention adds it to the scores (+1), masking nothing.

fact: the causality probe fails (an output before the changed position moves), named in the report
named_if: causal|future
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
        causal = torch.ones(T, T, device=tgt.device).triu(1)

        def sa(h):
            return self.self_attn(h, h, h, attn_mask=causal, need_weights=False)[0]

        def ca(h):
            return self.multihead_attn(h, memory, memory, key_padding_mask=memory_key_padding_mask,
                                       need_weights=False)[0]

        x = tgt
        if self.norm_first:
            x = x + sa(self.norm1(x))
            x = x + ca(self.norm2(x))
            return x + self._ff(self.norm3(x))
        x = self.norm1(x + sa(x))
        x = self.norm2(x + ca(x))
        return self.norm3(x + self._ff(x))
