import torch
import torch.nn.functional as F  # noqa: F401  (F.relu, F.layer_norm, ...)
from torch import nn


class TransformerDecoderBlock(nn.Module):
    """One Transformer decoder layer, tgt (B, T, d_model), memory (B, S, d_model) -> (B, T, d_model):
    three sub-layers, each with a residual connection and a LayerNorm (post-LN by default, pre-LN
    with norm_first=True): causal self-attention over tgt, cross-attention (queries from the
    decoder, keys and values from memory), and the FFN linear2(relu(linear1(x))). No dropout.

    The parameters are named as in nn.TransformerDecoderLayer (the checker loads the reference's
    state_dict into yours): keep this __init__. nn.MultiheadAttention is allowed here.
    memory_key_padding_mask: None or bool (B, S), True at padding positions of memory.
    Do not use nn.TransformerDecoderLayer, nn.TransformerDecoder or nn.Transformer.
    """

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

    def forward(self, tgt: torch.Tensor, memory: torch.Tensor,
                memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
        raise NotImplementedError("write the decoder block: masked self-attention, cross-attention, FFN")
