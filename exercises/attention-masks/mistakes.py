"""Classic wrong mask builders, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _masks(lengths, max_len, diagonal=1, pad_extra=0, invert_bools=(), masked_value=float("-inf"),
           padding_on_queries=False):
    positions = torch.arange(max_len)
    future = positions[None, :] - positions[:, None] >= diagonal  # diagonal 1 is right
    padding = positions[None, :] >= lengths[:, None] + pad_extra
    causal = torch.zeros(max_len, max_len).masked_fill(future, masked_value)
    additive = torch.zeros(len(lengths), max_len).masked_fill(padding, masked_value)
    if padding_on_queries:
        sdpa = (~future[None] & ~padding[:, :, None])[:, None]
    else:
        sdpa = (~future[None] & ~padding[:, None, :])[:, None]
    masks = {"causal": causal, "causal_bool": future, "key_padding": padding,
             "key_padding_additive": additive, "sdpa": sdpa}
    return {name: ~mask if name in invert_bools else mask for name, mask in masks.items()}


def inverted_polarity(lengths, max_len):
    return _masks(lengths, max_len, invert_bools=("causal_bool", "key_padding", "sdpa"))


def sdpa_in_multihead_convention(lengths, max_len):
    return _masks(lengths, max_len, invert_bools=("sdpa",))


def multihead_masks_in_sdpa_convention(lengths, max_len):
    return _masks(lengths, max_len, invert_bools=("causal_bool", "key_padding"))


def diagonal_masked(lengths, max_len):
    return _masks(lengths, max_len, diagonal=0)


def sees_next_token(lengths, max_len):
    return _masks(lengths, max_len, diagonal=2)


def padding_off_by_one(lengths, max_len):
    return _masks(lengths, max_len, pad_extra=1)


def bool_cast_as_additive(lengths, max_len):
    return _masks(lengths, max_len, masked_value=1.0)


def finite_minimum_instead_of_inf(lengths, max_len):
    return _masks(lengths, max_len, masked_value=torch.finfo(torch.float32).min)


def padding_on_queries(lengths, max_len):
    return _masks(lengths, max_len, padding_on_queries=True)


MISTAKES = [
    Mistake(id="inverted-polarity", implementation=inverted_polarity,
            en="Looks like your bool masks use the opposite convention: in nn.MultiheadAttention's attn_mask and "
                  "key_padding_mask True means 'do NOT attend' (future keys, padding); in F.scaled_dot_product_attention's "
                  "attn_mask True means 'may attend'. causal_bool and key_padding follow the first, sdpa the second.",
            zh="看起来你的布尔掩码用反了约定：nn.MultiheadAttention 的 attn_mask 和 key_padding_mask 中 True 表示“不能关注”"
                  "（未来的键、填充位置）；F.scaled_dot_product_attention 的 attn_mask 中 True 表示“可以关注”。"
                  "causal_bool 和 key_padding 用前者，sdpa 用后者。"),
    Mistake(id="sdpa-in-multihead-convention", implementation=sdpa_in_multihead_convention,
            en="Looks like your sdpa mask uses nn.MultiheadAttention's convention (True = masked): the bool attn_mask "
                  "of F.scaled_dot_product_attention means the opposite, True = may attend.",
            zh="看起来你的 sdpa 掩码用了 nn.MultiheadAttention 的约定（True 表示被遮盖）：F.scaled_dot_product_attention "
                  "的布尔 attn_mask 含义相反，True 表示可以关注。"),
    Mistake(id="multihead-masks-in-sdpa-convention", implementation=multihead_masks_in_sdpa_convention,
            en="Looks like causal_bool and key_padding use F.scaled_dot_product_attention's convention (True = may "
                  "attend): nn.MultiheadAttention's attn_mask and key_padding_mask mean the opposite, True = do NOT attend "
                  "(future keys, padding).",
            zh="看起来 causal_bool 和 key_padding 用了 F.scaled_dot_product_attention 的约定（True 表示可以关注）："
                  "nn.MultiheadAttention 的 attn_mask 和 key_padding_mask 含义相反，True 表示不能关注（未来的键、填充）。"),
    Mistake(id="diagonal-masked", implementation=diagonal_masked,
            en="Looks like your causal mask also hides the diagonal (triu(diagonal=0)): query i may attend key i itself, "
                  "so only j > i is masked: triu(diagonal=1), as in generate_square_subsequent_mask. Hiding the diagonal "
                  "leaves row 0 with no key at all.",
            zh="看起来你的因果掩码把对角线也遮住了（triu(diagonal=0)）：查询 i 可以关注它自己的键 i，只有 j > i 需要遮盖："
                  "triu(diagonal=1)，与 generate_square_subsequent_mask 相同。遮住对角线会让第 0 行没有任何可关注的键。"),
    Mistake(id="sees-next-token", implementation=sees_next_token,
            en="Looks like your causal mask starts one diagonal too high (triu(diagonal=2)): query i can see key i + 1, "
                  "the very token it must predict. Mask every j > i: triu(diagonal=1).",
            zh="看起来你的因果掩码从高了一条的对角线开始（triu(diagonal=2)）：查询 i 能看到键 i + 1，也就是它要预测的词。"
                  "应遮盖所有 j > i：triu(diagonal=1)。"),
    Mistake(id="padding-off-by-one", implementation=padding_off_by_one,
            en="Looks like your padding starts one position late (t > length instead of t >= length): a sequence of "
                  "length n has real tokens at 0 .. n-1, so position n is already padding.",
            zh="看起来你的填充位置晚了一位（用了 t > length 而不是 t >= length）：长度为 n 的序列真实词位于 0 .. n-1，"
                  "位置 n 已经是填充。"),
    Mistake(id="bool-cast-as-additive", implementation=bool_cast_as_additive,
            en="Looks like your additive masks are the bool mask cast to float (1.0 where masked): an additive mask is "
                  "added to the scores before the softmax, so masked entries must be -inf (exp(-inf) = 0), not 1.",
            zh="看起来你的加性掩码只是把布尔掩码转成了浮点数（被遮盖处为 1.0）：加性掩码在 softmax 之前加到分数上，"
                  "被遮盖处必须是 -inf（exp(-inf) = 0），而不是 1。"),
    Mistake(id="finite-minimum-instead-of-inf", implementation=finite_minimum_instead_of_inf,
            en="Looks like your additive masks use the most negative finite float instead of -inf. That masks as well in "
                  "float32, but this exercise asks for exactly what generate_square_subsequent_mask returns: -inf.",
            zh="看起来你的加性掩码用的是最小的有限浮点数而不是 -inf。在 float32 下它同样能遮盖，但本题要求与 "
                  "generate_square_subsequent_mask 的返回值完全一致：-inf。"),
    Mistake(id="padding-on-queries", implementation=padding_on_queries,
            en="Looks like your sdpa mask applies the padding to the query rows (mask[b, 0, i, :]) instead of the key "
                  "columns (mask[b, 0, :, j]): padding decides which KEYS nobody may attend to; a padded query row "
                  "with every key masked turns into NaN.",
            zh="看起来你的 sdpa 掩码把填充作用在了查询的行（mask[b, 0, i, :]）上，而不是键的列（mask[b, 0, :, j]）："
                  "填充决定的是哪些“键”不能被关注；一个所有键都被遮盖的查询行会变成 NaN。"),
]
