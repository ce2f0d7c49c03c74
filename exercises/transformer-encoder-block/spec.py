"""Cases for the encoder block: post-LN and pre-LN, with and without a key-padding mask, odd sizes.

tests/exercises checks that the reference equals nn.TransformerEncoderLayer (the same weights, dropout 0)."""

import torch

from llmprep.exercise_api import Case


def _x(gen, B, T, d_model, scale=1.0):
    return torch.randn(B, T, d_model, generator=gen, dtype=torch.float64) * scale


def _padding(lengths, T):
    """(B, T) bool, True at padding: every sequence keeps at least one real key."""
    return torch.arange(T)[None, :] >= torch.tensor(lengths)[:, None]


def _init(d_model, n_heads, d_ff, norm_first):
    return {"d_model": d_model, "n_heads": n_heads, "d_ff": d_ff, "norm_first": norm_first}


def fixed_cases():
    """Named cases; the weights come from the reference's own initialization (seeded)."""
    gen = torch.Generator().manual_seed(2017)
    return [
        Case("post-ln", (_x(gen, 2, 5, 8),), init=_init(8, 2, 32, False)),
        Case("pre-ln", (_x(gen, 2, 5, 8),), init=_init(8, 2, 32, True)),
        Case("post-ln-padding", (_x(gen, 3, 6, 8),), {"key_padding_mask": _padding([6, 2, 4], 6)},
             init=_init(8, 2, 16, False)),
        Case("pre-ln-padding", (_x(gen, 3, 6, 8),), {"key_padding_mask": _padding([1, 6, 3], 6)},
             init=_init(8, 2, 16, True)),
        Case("batch-1-length-1", (_x(gen, 1, 1, 6),), init=_init(6, 3, 12, False)),
        Case("one-head-d-ff-smaller", (_x(gen, 2, 4, 6),), init=_init(6, 1, 3, True)),
        Case("post-ln-large-inputs", (_x(gen, 2, 4, 8, scale=10),), init=_init(8, 4, 32, False), tolerance_scale=10.0),
        Case("pre-ln-large-inputs", (_x(gen, 2, 4, 8, scale=10),), init=_init(8, 4, 32, True), tolerance_scale=10.0),
    ]


def random_cases(gen, count):
    """`count` blocks: 1-3 heads of 2-4 features, d_ff 1-24, batch 1-3, length 1-6; post-LN and
    pre-LN in turn, a padding mask every third case."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        n_heads, d_head, d_ff = size(1, 3), size(2, 4), size(1, 24)
        d_model, B, T = n_heads * d_head, size(1, 3), size(1, 6)
        kwargs = {}
        if i % 3 == 2:
            kwargs["key_padding_mask"] = _padding([size(1, T) for _ in range(B)], T)
        cases.append(Case(f"random-{i}", (_x(gen, B, T, d_model),), kwargs,
                          init=_init(d_model, n_heads, d_ff, norm_first=bool(i % 2))))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, d, h, ff):
    """The 2017 base model's block, post-LN."""
    return Case(f"T={T}", (torch.randn(B, T, d, generator=gen),), init=_init(d, h, ff, False))


def flops(case):
    """Four d×d projections (2·B·T·d² each), attention (4·B·T²·d), the FFN (2 · 2·B·T·d·d_ff)."""
    B, T, d = case.args[0].shape
    d_ff = case.init["d_ff"]
    return 8 * B * T * d * d + 4 * B * T * T * d + 4 * B * T * d * d_ff


def bytes_moved(case):
    """Reading x and every parameter once, writing the output."""
    B, T, d = case.args[0].shape
    d_ff = case.init["d_ff"]
    parameters = 4 * d * d + 4 * d + 2 * d * d_ff + d_ff + d + 4 * d
    return (2 * B * T * d + parameters) * case.args[0].element_size()


def builtin(d_model, n_heads, d_ff, norm_first=False):
    """nn.TransformerEncoderLayer (dropout 0) behind this exercise's interface, with the same parameter names."""
    from torch import nn

    class Builtin(nn.TransformerEncoderLayer):
        def forward(self, x, key_padding_mask=None):
            return super().forward(x, src_key_padding_mask=key_padding_mask)

    return Builtin(d_model, n_heads, d_ff, dropout=0.0, batch_first=True, norm_first=norm_first)


BENCH = Bench(dims={"T": [128, 512, 1024]}, fixed={"B": 8, "d": 512, "h": 8, "ff": 2048}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved, builtin=builtin,
              quick={"T": 32, "B": 1, "d": 128, "h": 4, "ff": 512})
