import torch.nn.functional as F
from torch import nn


class TransformerDecoderBlock(nn.Module):
    """F.linear projections and F.scaled_dot_product_attention (is_causal for the self-attention)."""

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

    def _attention(self, mha, x, source, mask=None, is_causal=False):
        H = mha.num_heads
        w_q, w_kv = mha.in_proj_weight.split([x.shape[-1], 2 * x.shape[-1]])
        b_q, b_kv = mha.in_proj_bias.split([x.shape[-1], 2 * x.shape[-1]])
        q = F.linear(x, w_q, b_q)
        k, v = F.linear(source, w_kv, b_kv).chunk(2, dim=-1)
        q, k, v = (t.unflatten(-1, (H, -1)).transpose(1, 2) for t in (q, k, v))  # (B, H, L, d_head)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal)
        return mha.out_proj(out.transpose(1, 2).flatten(2))

    def forward(self, tgt, memory, memory_key_padding_mask=None):
        keep = None if memory_key_padding_mask is None else ~memory_key_padding_mask[:, None, None, :]
        if self.norm_first:
            h = self.norm1(tgt)
            x = tgt + self._attention(self.self_attn, h, h, is_causal=True)
            x = x + self._attention(self.multihead_attn, self.norm2(x), memory, keep)
            return x + self.linear2(F.relu(self.linear1(self.norm3(x))))
        x = self.norm1(tgt + self._attention(self.self_attn, tgt, tgt, is_causal=True))
        x = self.norm2(x + self._attention(self.multihead_attn, x, memory, keep))
        return self.norm3(x + self.linear2(F.relu(self.linear1(x))))
