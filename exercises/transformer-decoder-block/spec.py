"""Cases for the decoder block: post-LN and pre-LN, source longer, shorter and as long as the target,
memory padding, odd sizes. The harness also runs the block on the target changed at one position;
`properties` checks that the outputs before it are bit-identical.

tests/exercises checks that the reference equals nn.TransformerDecoderLayer (the same weights, dropout 0)."""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "causality": ("changing the target at position {j} changed {changed} outputs at positions before {j}: they must "
                  "stay bit-identical (position i may only see targets 0..i)",
                  "改变位置 {j} 的目标后，位置 {j} 之前有 {changed} 个输出变了：它们必须逐位不变（位置 i 只能看到目标 0..i）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _x(gen, B, T, d_model, scale=1.0):
    return torch.randn(B, T, d_model, generator=gen, dtype=torch.float64) * scale


def _padding(lengths, S):
    """(B, S) bool, True at padding: every memory keeps at least one real position."""
    return torch.arange(S)[None, :] >= torch.tensor(lengths)[:, None]


def _init(d_model, n_heads, d_ff, norm_first):
    return {"d_model": d_model, "n_heads": n_heads, "d_ff": d_ff, "norm_first": norm_first}


def fixed_cases():
    """Named cases; the weights come from the reference's own initialization (seeded)."""
    gen = torch.Generator().manual_seed(2017)
    return [
        Case("post-ln", (_x(gen, 2, 5, 8), _x(gen, 2, 5, 8)), init=_init(8, 2, 32, False)),
        Case("pre-ln", (_x(gen, 2, 5, 8), _x(gen, 2, 5, 8)), init=_init(8, 2, 32, True)),
        Case("post-ln-longer-source", (_x(gen, 2, 4, 8), _x(gen, 2, 7, 8)), init=_init(8, 4, 16, False)),
        Case("pre-ln-shorter-source-padding", (_x(gen, 3, 6, 6), _x(gen, 3, 3, 6)),
             {"memory_key_padding_mask": _padding([3, 1, 2], 3)}, init=_init(6, 2, 12, True)),
        Case("post-ln-memory-padding", (_x(gen, 2, 5, 8), _x(gen, 2, 5, 8)),
             {"memory_key_padding_mask": _padding([2, 5], 5)}, init=_init(8, 2, 16, False)),
        Case("batch-1-length-1", (_x(gen, 1, 1, 6), _x(gen, 1, 1, 6)), init=_init(6, 3, 12, False)),
        Case("one-target-token", (_x(gen, 2, 1, 6), _x(gen, 2, 4, 6)), init=_init(6, 1, 4, True)),
        Case("post-ln-large-inputs", (_x(gen, 2, 4, 8, scale=10), _x(gen, 2, 4, 8, scale=10)),
             init=_init(8, 2, 32, False), tolerance_scale=10.0),
    ]


def random_cases(gen, count):
    """`count` blocks: 1-3 heads of 2-4 features, d_ff 1-24, batch 1-3, target length 2-6, source as long
    as the target every other case (else 1-6); post-LN and pre-LN in turn; memory padding every third case."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        n_heads, d_head, d_ff = size(1, 3), size(2, 4), size(1, 24)
        d_model, B, T = n_heads * d_head, size(1, 3), size(2, 6)
        S = T if i % 2 == 0 else size(1, 6)
        kwargs = {}
        if i % 3 == 2:
            kwargs["memory_key_padding_mask"] = _padding([size(1, S) for _ in range(B)], S)
        cases.append(Case(f"random-{i}", (_x(gen, B, T, d_model), _x(gen, B, S, d_model)), kwargs,
                          init=_init(d_model, n_heads, d_ff, norm_first=bool(i // 2 % 2))))
    return cases


def properties(case, output, reference):
    """Changing the target at position j leaves every output before j bit-identical (causality)."""
    j, before, after = output["changed_at"], output["output"], output["output_after_change"]
    if not j or before.shape != after.shape:
        return []
    if not torch.equal(before[:, :j], after[:, :j]):
        changed = int((before[:, :j] != after[:, :j]).any(-1).sum())
        return [_say("causality", j=j, changed=changed)]
    return []


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, d, h, ff):
    """A source as long as the target, post-LN. Timing goes through the harness: two forward
    passes and one backward."""
    return Case(f"T={T}", (torch.randn(B, T, d, generator=gen), torch.randn(B, T, d, generator=gen)),
                init=_init(d, h, ff, False))


def flops(case):
    """One forward pass: self-attention (8·B·T·d² + 4·B·T²·d), cross-attention (4·B·T·d² for Q and the
    output, 4·B·S·d² for K and V, 4·B·T·S·d), the FFN (4·B·T·d·d_ff)."""
    tgt, memory = case.args
    B, T, d = tgt.shape
    S, d_ff = memory.shape[1], case.init["d_ff"]
    return (8 * B * T * d * d + 4 * B * T * T * d + 4 * B * T * d * d + 4 * B * S * d * d
            + 4 * B * T * S * d + 4 * B * T * d * d_ff)


def bytes_moved(case):
    """One forward pass: reading tgt, memory and every parameter once, writing the output."""
    tgt, memory = case.args
    d, d_ff = tgt.shape[-1], case.init["d_ff"]
    parameters = 2 * (4 * d * d + 4 * d) + 2 * d * d_ff + d_ff + d + 6 * d
    return (2 * tgt.numel() + memory.numel() + parameters) * tgt.element_size()


def builtin(d_model, n_heads, d_ff, norm_first=False):
    """nn.TransformerDecoderLayer (dropout 0, causal tgt_mask) behind this exercise's interface, same parameter names."""
    from torch import nn

    class Builtin(nn.TransformerDecoderLayer):
        def forward(self, tgt, memory, memory_key_padding_mask=None):
            T = tgt.shape[1]
            causal = torch.ones(T, T, dtype=torch.bool, device=tgt.device).triu(1)
            return super().forward(tgt, memory, tgt_mask=causal, memory_key_padding_mask=memory_key_padding_mask)

    return Builtin(d_model, n_heads, d_ff, dropout=0.0, batch_first=True, norm_first=norm_first)


BENCH = Bench(dims={"T": [128, 256, 512]}, fixed={"B": 8, "d": 512, "h": 8, "ff": 2048}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved, builtin=builtin,
              quick={"T": 32, "B": 1, "d": 128, "h": 4, "ff": 512})
