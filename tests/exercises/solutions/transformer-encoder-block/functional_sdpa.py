import torch.nn.functional as F
from torch import nn


class TransformerEncoderBlock(nn.Module):
    """Functional style: one residual helper for both orders, F.scaled_dot_product_attention inside."""

    def __init__(self, d_model, n_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def _mha(self, x, key_padding_mask):
        B, T, D = x.shape
        H = self.self_attn.num_heads
        q, k, v = F.linear(x, self.self_attn.in_proj_weight, self.self_attn.in_proj_bias).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, H, D // H).transpose(1, 2) for t in (q, k, v))
        allowed = None if key_padding_mask is None else ~key_padding_mask.view(B, 1, 1, T)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)
        return self.self_attn.out_proj(out.transpose(1, 2).reshape(B, T, D))

    def _ffn(self, x, key_padding_mask):
        return self.linear2(F.relu(self.linear1(x)))

    def _sublayer(self, x, layer, norm, key_padding_mask):
        if self.norm_first:
            return x + layer(F.layer_norm(x, norm.normalized_shape, norm.weight, norm.bias, norm.eps), key_padding_mask)
        return F.layer_norm(x + layer(x, key_padding_mask), norm.normalized_shape, norm.weight, norm.bias, norm.eps)

    def forward(self, x, key_padding_mask=None):
        x = self._sublayer(x, self._mha, self.norm1, key_padding_mask)
        return self._sublayer(x, self._ffn, self.norm2, key_padding_mask)
