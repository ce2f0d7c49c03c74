"""Pre-LN written as z = x + MHA(LN1(x)), y = LN2(z + FFN(z)): the second norm moved to the output.

fact: wrong only when norm_first is True
named_if: norm_first
"""
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
        def sa(h):
            return self.self_attn(h, h, h, key_padding_mask=key_padding_mask, need_weights=False)[0]

        if self.norm_first:
            z = x + sa(self.norm1(x))
            return self.norm2(z + self._ff(z))
        z = self.norm1(x + sa(x))
        return self.norm2(z + self._ff(z))
