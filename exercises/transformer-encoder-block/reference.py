import torch.nn.functional as F
from torch import nn


class TransformerEncoderBlock(nn.Module):
    """One encoder layer: self-attention and a ReLU FFN, each with a residual and a LayerNorm."""

    def __init__(self, d_model: int, n_heads: int, d_ff: int, norm_first: bool = False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def attention(self, x, key_padding_mask):
        return self.self_attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)[0]  # (B, T, D)

    def feed_forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))  # (B, T, D) -> (B, T, d_ff) -> (B, T, D)

    def forward(self, x, key_padding_mask=None):
        if self.norm_first:  # pre-LN: normalize the branch input, keep the residual stream raw
            x = x + self.attention(self.norm1(x), key_padding_mask)
            x = x + self.feed_forward(self.norm2(x))
        else:  # post-LN (Vaswani et al. 2017): normalize the residual sum
            x = self.norm1(x + self.attention(x, key_padding_mask))
            x = self.norm2(x + self.feed_forward(x))
        return x
