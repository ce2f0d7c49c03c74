"""Classic wrong decoder blocks, each with the diagnosis it earns."""

import torch
import torch.nn.functional as F
from torch import nn

from llmprep.exercise_api import Mistake


class _Base(nn.Module):
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

    def self_attention(self, x, causal=True):
        T = x.size(1)
        future = torch.ones(T, T, dtype=torch.bool).triu(1) if causal else None
        return self.self_attn(x, x, x, attn_mask=future, need_weights=False)[0]

    def cross_attention(self, x, memory, padding, causal=False):
        future = torch.ones(x.size(1), memory.size(1), dtype=torch.bool).triu(1) if causal else None
        return self.multihead_attn(x, memory, memory, attn_mask=future, key_padding_mask=padding,
                                   need_weights=False)[0]

    def feed_forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))

    def sublayer(self, x, layer, norm):
        return x + layer(norm(x)) if self.norm_first else norm(x + layer(x))

    def three_sublayers(self, tgt, memory, padding, self_causal=True, cross_causal=False):
        x = self.sublayer(tgt, lambda h: self.self_attention(h, self_causal), self.norm1)
        x = self.sublayer(x, lambda h: self.cross_attention(h, memory, padding, cross_causal), self.norm2)
        return self.sublayer(x, self.feed_forward, self.norm3)


class QueryFromMemory(_Base):
    """Cross-attention with the roles swapped: queries from memory, keys and values from the decoder."""

    def forward(self, tgt, memory, memory_key_padding_mask=None):
        x = self.sublayer(tgt, self.self_attention, self.norm1)
        swapped = lambda h: self.multihead_attn(memory, h, h, key_padding_mask=memory_key_padding_mask,  # noqa: E731
                                                need_weights=False)[0]
        x = self.sublayer(x, swapped, self.norm2)
        return self.sublayer(x, self.feed_forward, self.norm3)


class NoCausalMask(_Base):
    def forward(self, tgt, memory, memory_key_padding_mask=None):
        return self.three_sublayers(tgt, memory, memory_key_padding_mask, self_causal=False)


class TwoSublayers(_Base):
    """The encoder block with cross-attention in place of self-attention (002 364 drops self-attention)."""

    def forward(self, tgt, memory, memory_key_padding_mask=None):
        x = self.sublayer(tgt, lambda h: self.cross_attention(h, memory, memory_key_padding_mask), self.norm1)
        return self.sublayer(x, self.feed_forward, self.norm2)


class CausalCrossAttention(_Base):
    def forward(self, tgt, memory, memory_key_padding_mask=None):
        return self.three_sublayers(tgt, memory, memory_key_padding_mask, cross_causal=True)


MISTAKES = [
    Mistake(id="query-from-memory", implementation=QueryFromMemory,
            en="Looks like your cross-attention takes its queries from memory and its keys and values from the "
                  "decoder: it is the other way round. Queries come from the decoder (one output per target position), "
                  "keys and values from the encoder's output: multihead_attn(x, memory, memory).",
            zh="看起来你的交叉注意力从 memory 取查询、从解码器取键和值：正好反了。查询来自解码器（每个目标位置一个输出），"
                  "键和值来自编码器的输出：multihead_attn(x, memory, memory)。"),
    Mistake(id="no-causal-mask", implementation=NoCausalMask,
            en="Looks like your self-attention has no causal mask: target position i must not attend positions "
                  "after it (attn_mask True strictly above the diagonal), or it sees the tokens it must predict.",
            zh="看起来你的自注意力没有因果掩码：目标位置 i 不能关注它之后的位置（attn_mask 在对角线严格上方为 True），"
                  "否则它能看到自己要预测的词。"),
    Mistake(id="two-sublayers", implementation=TwoSublayers,
            en="Looks like your block has two sub-layers (cross-attention and FFN) instead of three: a decoder layer "
                  "runs masked self-attention (norm1), then cross-attention to memory (norm2), then the FFN (norm3).",
            zh="看起来你的块只有两个子层（交叉注意力和 FFN），而不是三个：解码器层依次是带掩码的自注意力（norm1）、"
                  "对 memory 的交叉注意力（norm2）、FFN（norm3）。"),
    Mistake(id="causal-cross-attention", implementation=CausalCrossAttention,
            en="Looks like you also applied the causal mask to the cross-attention: the whole source sentence is "
                  "known, so every target position may attend every (non-padding) memory position.",
            zh="看起来你在交叉注意力上也用了因果掩码：源句子是完整已知的，每个目标位置都可以关注 memory 的所有"
                  "（非填充）位置。"),
]
