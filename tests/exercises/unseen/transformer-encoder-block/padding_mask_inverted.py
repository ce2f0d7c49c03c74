"""key_padding_mask inverted (~mask): attends only to the padding.

fact: wrong only when key_padding_mask is given
named_if: key_padding_mask
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
        mask = None if key_padding_mask is None else ~key_padding_mask

        def sa(h):
            return self.self_attn(h, h, h, key_padding_mask=mask, need_weights=False)[0]

        if self.norm_first:
            z = x + sa(self.norm1(x))
            return z + self._ff(self.norm2(z))
        z = self.norm1(x + sa(x))
        return self.norm2(z + self._ff(z))
