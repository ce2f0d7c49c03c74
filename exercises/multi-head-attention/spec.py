"""Cases for multi-head attention: one head, many heads, batch 1, length 1, causal, random."""

import torch

from llmprep.exercise_api import Case


def _x(gen, B, T, d_model, scale=1.0):
    return torch.randn(B, T, d_model, generator=gen, dtype=torch.float64) * scale


def fixed_cases():
    """Named cases; the weights come from the reference's own initialization (seeded)."""
    gen = torch.Generator().manual_seed(512)
    return [
        Case("d8-h2", (_x(gen, 2, 5, 8),), init={"d_model": 8, "n_heads": 2}),
        Case("d8-h2-causal", (_x(gen, 2, 5, 8),), {"is_causal": True}, init={"d_model": 8, "n_heads": 2}),
        Case("one-head", (_x(gen, 2, 4, 6),), init={"d_model": 6, "n_heads": 1}),
        Case("batch-1-length-1", (_x(gen, 1, 1, 8),), init={"d_model": 8, "n_heads": 4}),
        Case("d12-h3-causal", (_x(gen, 3, 7, 12),), {"is_causal": True}, init={"d_model": 12, "n_heads": 3}),
        Case("large-inputs", (_x(gen, 2, 6, 8, scale=10),), init={"d_model": 8, "n_heads": 2}, tolerance_scale=10.0),
    ]


def random_cases(gen, count):
    """`count` random modules: 1-4 heads of 1-5 features, batch 1-3, length 1-7, causal every other."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        n_heads, d_head = size(1, 4), size(1, 5)
        d_model = n_heads * d_head
        kwargs = {"is_causal": True} if i % 2 else {}
        cases.append(Case(f"random-{i}", (_x(gen, size(1, 3), size(1, 7), d_model),), kwargs,
                          init={"d_model": d_model, "n_heads": n_heads}))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, d, h):
    """Causal self-attention of B sequences of T tokens."""
    return Case(f"T={T}", (torch.randn(B, T, d, generator=gen),), {"is_causal": True},
                init={"d_model": d, "n_heads": h})


def flops(case):
    """Four d_model×d_model projections (2·B·T·d² each) plus attention (4·B·T²·d)."""
    B, T, d = case.args[0].shape
    return 4 * 2 * B * T * d * d + 4 * B * T * T * d


def bytes_moved(case):
    """Reading x and the four weight matrices, writing the output."""
    B, T, d = case.args[0].shape
    return (2 * B * T * d + 4 * (d * d + d)) * case.args[0].element_size()


def builtin(d_model, n_heads):
    """nn.MultiheadAttention behind this exercise's interface (a module factory, as for the entry).

    Its parameters are named differently (in_proj_weight): bench times it with its own weights."""
    from torch import nn

    class Builtin(nn.Module):
        def __init__(self):
            super().__init__()
            self.mha = nn.MultiheadAttention(d_model, n_heads, batch_first=True)

        def forward(self, x, is_causal=False):
            T = x.shape[1]
            mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1) if is_causal else None
            return self.mha(x, x, x, attn_mask=mask, need_weights=False)[0]

    return Builtin()


BENCH = Bench(dims={"T": [128, 512, 1024]}, fixed={"B": 8, "d": 512, "h": 8}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"T": 64, "B": 1, "d": 256, "h": 4})
