"""Cases for the attention masks: batches of right-padded sequences, from one token to all padded.

`properties` checks the returned masks against PyTorch itself: the causal mask against
nn.Transformer.generate_square_subsequent_mask, key_padding through nn.MultiheadAttention and
sdpa through F.scaled_dot_product_attention (padded keys must change nothing)."""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "causal": ("causal differs from nn.Transformer.generate_square_subsequent_mask(max_len)",
               "causal 与 nn.Transformer.generate_square_subsequent_mask(max_len) 不同"),
    "padding": ("with key_padding as nn.MultiheadAttention's key_padding_mask, padded keys still change sequence {b}",
                "把 key_padding 作为 nn.MultiheadAttention 的 key_padding_mask 时，填充的 key 仍然改变了序列 {b}"),
    "sdpa": ("with sdpa as F.scaled_dot_product_attention's attn_mask, sequence {b} does not get causal attention "
             "over its own tokens",
             "把 sdpa 作为 F.scaled_dot_product_attention 的 attn_mask 时，序列 {b} 在自己的 token 上没有得到因果注意力"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _lengths(values):
    return torch.tensor(values, dtype=torch.int64)


def fixed_cases():
    """Named batches: mixed lengths, one token, no padding, every sequence padded."""
    return [
        Case("lengths-4-2", (_lengths([4, 2]), 4)),
        Case("one-token", (_lengths([1]), 1)),
        Case("no-padding", (_lengths([3, 3]), 3)),
        Case("all-padded", (_lengths([1, 5, 3]), 6)),
        Case("batch-1-long", (_lengths([9]), 12)),
    ]


def random_cases(gen, count):
    """`count` batches of 1-4 sequences, max_len 1-9, lengths 1..max_len."""
    cases = []
    for i in range(count):
        batch = int(torch.randint(1, 5, (1,), generator=gen))
        max_len = int(torch.randint(1, 10, (1,), generator=gen))
        lengths = torch.randint(1, max_len + 1, (batch,), generator=gen)
        cases.append(Case(f"random-{i}", (lengths, max_len)))
    return cases


def properties(case, output, reference):
    """The masks do in PyTorch what their names promise (run only once the values are right)."""
    import torch.nn.functional as F
    from torch import nn

    masks = output
    lengths, T = case.args
    problems = []
    if not torch.equal(masks["causal"], nn.Transformer.generate_square_subsequent_mask(T)):
        problems.append(_say("causal"))

    gen = torch.Generator().manual_seed(T)
    B, d = len(lengths), 4
    x = torch.randn(B, T, d, generator=gen, dtype=torch.float64)
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(d, 2, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        padded = mha(x, x, x, key_padding_mask=masks["key_padding"], need_weights=False)[0]
        sdpa = F.scaled_dot_product_attention(x[:, None], x[:, None], x[:, None], attn_mask=masks["sdpa"])[:, 0]
        for b, n in enumerate(lengths.tolist()):
            alone = mha(x[b:b + 1, :n], x[b:b + 1, :n], x[b:b + 1, :n], need_weights=False)[0][0]
            if not torch.allclose(padded[b, :n], alone, atol=1e-10):
                problems.append(_say("padding", b=b))
            causal = F.scaled_dot_product_attention(x[b, :n], x[b, :n], x[b, :n], is_causal=True)
            if not torch.allclose(sdpa[b, :n], causal, atol=1e-10):
                problems.append(_say("sdpa", b=b))
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B):
    """Masks for B sequences of up to T tokens."""
    return Case(f"T={T}", (torch.randint(1, T + 1, (B,), generator=gen), T))


def flops(case):
    """Comparisons and selects, no floating-point arithmetic."""
    return 0


def bytes_moved(case):
    """Writing the five masks (float32 additive, 1-byte bool) and reading the lengths."""
    lengths, T = case.args
    B = len(lengths)
    return 4 * T * T + T * T + B * T + 4 * B * T + B * T * T + 8 * B


def builtin(lengths, max_len):
    """The same masks around PyTorch's own causal-mask helper."""
    from torch import nn

    causal = nn.Transformer.generate_square_subsequent_mask(max_len, device=lengths.device)
    padding = torch.arange(max_len, device=lengths.device)[None, :] >= lengths[:, None]
    additive = torch.zeros(padding.shape, device=lengths.device).masked_fill(padding, float("-inf"))
    future = causal.isinf()
    return {"causal": causal, "causal_bool": future, "key_padding": padding, "key_padding_additive": additive,
            "sdpa": (~future[None] & ~padding[:, None, :])[:, None]}


BENCH = Bench(dims={"T": [128, 512, 2048]}, fixed={"B": 8}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin)
