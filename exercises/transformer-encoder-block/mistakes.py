"""Classic wrong encoder blocks, each with the diagnosis it earns."""

import torch.nn.functional as F
from torch import nn

from llmprep.exercise_api import Mistake


class _Base(nn.Module):
    def __init__(self, d_model, n_heads, d_ff, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)

    def attention(self, x, key_padding_mask):
        return self.self_attn(x, x, x, key_padding_mask=key_padding_mask, need_weights=False)[0]

    def feed_forward(self, x):
        return self.linear2(F.relu(self.linear1(x)))

    def correct_pre_ln(self, x, key_padding_mask):
        x = x + self.attention(self.norm1(x), key_padding_mask)
        return x + self.feed_forward(self.norm2(x))

    def correct_post_ln(self, x, key_padding_mask):
        x = self.norm1(x + self.attention(x, key_padding_mask))
        return self.norm2(x + self.feed_forward(x))


class SumOfNormalizedBranches(_Base):
    """004 82: LN(x + MHA(x)) + LN(x + FFN(x)), whatever norm_first says."""

    def forward(self, x, key_padding_mask=None):
        return self.norm1(x + self.attention(x, key_padding_mask)) + self.norm2(x + self.feed_forward(x))


class NormOnTheBranch(_Base):
    """Post-LN with the LayerNorm on the sub-layer's output: x + LN(MHA(x))."""

    def forward(self, x, key_padding_mask=None):
        if self.norm_first:
            return self.correct_pre_ln(x, key_padding_mask)
        x = x + self.norm1(self.attention(x, key_padding_mask))
        return x + self.norm2(self.feed_forward(x))


class FeedForwardOfBlockInput(_Base):
    """The FFN reads the block input x instead of the attention sub-layer's result."""

    def forward(self, x, key_padding_mask=None):
        if self.norm_first:
            h = x + self.attention(self.norm1(x), key_padding_mask)
            return h + self.feed_forward(self.norm2(x))
        h = self.norm1(x + self.attention(x, key_padding_mask))
        return self.norm2(h + self.feed_forward(x))


class ResidualFromNormalizedInput(_Base):
    """Pre-LN that overwrites x with LN(x), so the residual carries the normalized input."""

    def forward(self, x, key_padding_mask=None):
        if not self.norm_first:
            return self.correct_post_ln(x, key_padding_mask)
        x = self.norm1(x)
        x = x + self.attention(x, key_padding_mask)
        x = self.norm2(x)
        return x + self.feed_forward(x)


class IgnoresNormFirst(_Base):
    """Always post-LN."""

    def forward(self, x, key_padding_mask=None):
        return self.correct_post_ln(x, key_padding_mask)


MISTAKES = [
    Mistake(id="sum-of-normalized-branches", implementation=SumOfNormalizedBranches,
            en="Looks like you add two normalized branches, LN(x + MHA(x)) + LN(x + FFN(x)), as 004 82 writes: the "
                  "sub-layers run in sequence. Post-LN: z = LN(x + MHA(x)), y = LN(z + FFN(z)); pre-LN: "
                  "z = x + MHA(LN(x)), y = z + FFN(LN(z)).",
            zh="看起来你把两个归一化的分支相加了，LN(x + MHA(x)) + LN(x + FFN(x))，就像 004 82 写的那样：两个子层是"
                  "串联的。Post-LN：z = LN(x + MHA(x))，y = LN(z + FFN(z))；Pre-LN：z = x + MHA(LN(x))，y = z + FFN(LN(z))。"),
    Mistake(id="norm-on-the-branch", implementation=NormOnTheBranch,
            en="Looks like your post-LN block normalizes the sub-layer's output, x + LN(MHA(x)): post-LN normalizes "
                  "the residual sum, LN(x + MHA(x)) (and LN(z + FFN(z))).",
            zh="看起来你的 Post-LN 块归一化的是子层的输出，x + LN(MHA(x))：Post-LN 归一化的是残差之和，"
                  "LN(x + MHA(x))（以及 LN(z + FFN(z))）。"),
    Mistake(id="ffn-of-block-input", implementation=FeedForwardOfBlockInput,
            en="Looks like your FFN reads the block input x instead of z, the attention sub-layer's result: "
                  "post-LN y = LN(z + FFN(z)), pre-LN y = z + FFN(LN(z)).",
            zh="看起来你的 FFN 读的是整个块的输入 x，而不是注意力子层的结果 z：Post-LN 为 y = LN(z + FFN(z))，"
                  "Pre-LN 为 y = z + FFN(LN(z))。"),
    Mistake(id="residual-from-normalized-input", implementation=ResidualFromNormalizedInput,
            en="Looks like your pre-LN block overwrites x with LN(x), so the residual carries the normalized input: "
                  "keep the residual stream raw, z = x + MHA(LN(x)), y = z + FFN(LN(z)).",
            zh="看起来你的 Pre-LN 块用 LN(x) 覆盖了 x，于是残差传递的是归一化后的输入：残差流应保持原样，"
                  "z = x + MHA(LN(x))，y = z + FFN(LN(z))。"),
    Mistake(id="ignores-norm-first", implementation=IgnoresNormFirst,
            en="Looks like you ignore norm_first: with norm_first=True the block is pre-LN, z = x + MHA(LN(x)), "
                  "y = z + FFN(LN(z)), with no LayerNorm on the output.",
            zh="看起来你忽略了 norm_first：norm_first=True 时是 Pre-LN，z = x + MHA(LN(x))，y = z + FFN(LN(z))，"
                  "输出上没有 LayerNorm。"),
]
