import torch
import torch.nn.functional as F
from torch import nn


class TransformerDecoderBlock(nn.Module):
    """One decoder layer: masked self-attention, cross-attention to memory, FFN; each with a residual and a LayerNorm."""

    def __init__(self, d_model: int, n_heads: int, d_ff: int, norm_first: bool = False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.multihead_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.norm3 = nn.LayerNorm(d_model)

    def self_attention(self, x):
        T = x.size(1)
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)  # True = may not attend
        return self.self_attn(x, x, x, attn_mask=future, need_weights=False)[0]  # (B, T, D)

    def cross_attention(self, x, memory, memory_key_padding_mask):
        # queries from the decoder, keys and values from the encoder's output
        return self.multihead_attn(x, memory, memory, key_padding_mask=memory_key_padding_mask,
                                   need_weights=False)[0]  # (B, T, D)

    def feed_forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))  # (B, T, D)

    def forward(self, tgt, memory, memory_key_padding_mask=None):
        x = tgt  # (B, T, D); memory (B, S, D)
        if self.norm_first:  # pre-LN
            x = x + self.self_attention(self.norm1(x))
            x = x + self.cross_attention(self.norm2(x), memory, memory_key_padding_mask)
            x = x + self.feed_forward(self.norm3(x))
        else:  # post-LN
            x = self.norm1(x + self.self_attention(x))
            x = self.norm2(x + self.cross_attention(x, memory, memory_key_padding_mask))
            x = self.norm3(x + self.feed_forward(x))
        return x
