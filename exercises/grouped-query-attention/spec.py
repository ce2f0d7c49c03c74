"""Cases for grouped-query attention: GQA with groups of 2 and 3, MQA (one KV head), plain MHA,
causal, odd sizes, random. The reference repeats the KV heads; tests/exercises checks that it equals
F.scaled_dot_product_attention(enable_gqa=True) with the same weights."""

import torch

from llmprep.exercise_api import Case


def _x(gen, B, T, d_model, scale=1.0):
    return torch.randn(B, T, d_model, generator=gen, dtype=torch.float64) * scale


def _init(d_model, n_heads, n_kv_heads):
    return {"d_model": d_model, "n_heads": n_heads, "n_kv_heads": n_kv_heads}


def fixed_cases():
    """Named cases; the weights come from the reference's own initialization (seeded)."""
    gen = torch.Generator().manual_seed(2023)
    return [
        Case("gqa-4-heads-2-kv", (_x(gen, 2, 5, 16),), init=_init(16, 4, 2)),
        Case("gqa-6-heads-2-kv-causal", (_x(gen, 2, 6, 12),), {"is_causal": True}, init=_init(12, 6, 2)),
        Case("gqa-6-heads-3-kv", (_x(gen, 1, 4, 24),), init=_init(24, 6, 3)),
        Case("mqa-one-kv-head", (_x(gen, 2, 5, 16),), init=_init(16, 4, 1)),
        Case("mha-as-many-kv-heads", (_x(gen, 2, 4, 12),), {"is_causal": True}, init=_init(12, 3, 3)),
        Case("batch-1-length-1", (_x(gen, 1, 1, 8),), init=_init(8, 4, 2)),
        Case("gqa-8-heads-4-kv-causal", (_x(gen, 3, 7, 16),), {"is_causal": True}, init=_init(16, 8, 4)),
        Case("large-inputs", (_x(gen, 2, 5, 16, scale=10),), init=_init(16, 4, 2), tolerance_scale=10.0),
    ]


def random_cases(gen, count):
    """`count` random modules: 2-8 query heads, a random divisor of it as KV heads, 1-4 features per head,
    batch 1-3, length 1-7, causal every other case."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        n_heads = (2, 3, 4, 6, 8)[size(0, 4)]
        divisors = [k for k in range(1, n_heads + 1) if n_heads % k == 0]
        n_kv_heads = divisors[size(0, len(divisors) - 1)]
        d_model = n_heads * size(1, 4)
        kwargs = {"is_causal": True} if i % 2 else {}
        cases.append(Case(f"random-{i}", (_x(gen, size(1, 3), size(1, 7), d_model),), kwargs,
                          init=_init(d_model, n_heads, n_kv_heads)))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, d, h, kv):
    """Causal, 16 query heads sharing 4 KV heads (head dim 64)."""
    return Case(f"T={T}", (torch.randn(B, T, d, generator=gen),), {"is_causal": True}, init=_init(d, h, kv))


def flops(case):
    """Projections (2·B·T·d² for Q and the output each, 2·B·T·d·(H_kv·d_head) for K and V each) plus
    attention (4·B·H·T²·d_head = 4·B·T²·d)."""
    B, T, d = case.args[0].shape
    kv = case.init["n_kv_heads"] * (d // case.init["n_heads"])
    return 4 * B * T * d * d + 4 * B * T * d * kv + 4 * B * T * T * d


def bytes_moved(case):
    """Reading x and the four weight matrices, writing the output."""
    B, T, d = case.args[0].shape
    kv = case.init["n_kv_heads"] * (d // case.init["n_heads"])
    return (2 * B * T * d + 2 * d * d + 2 * d * kv) * case.args[0].element_size()


def builtin(d_model, n_heads, n_kv_heads):
    """F.scaled_dot_product_attention(enable_gqa=True) behind this exercise's interface, same parameter names."""
    import torch.nn.functional as F
    from torch import nn

    class Builtin(nn.Module):
        def __init__(self):
            super().__init__()
            d_head = d_model // n_heads
            self.q_proj = nn.Linear(d_model, n_heads * d_head, bias=False)
            self.k_proj = nn.Linear(d_model, n_kv_heads * d_head, bias=False)
            self.v_proj = nn.Linear(d_model, n_kv_heads * d_head, bias=False)
            self.out_proj = nn.Linear(n_heads * d_head, d_model, bias=False)

        def forward(self, x, is_causal=False):
            B, T, _ = x.shape
            q = self.q_proj(x).view(B, T, n_heads, -1).transpose(1, 2)
            k = self.k_proj(x).view(B, T, n_kv_heads, -1).transpose(1, 2)
            v = self.v_proj(x).view(B, T, n_kv_heads, -1).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=is_causal, enable_gqa=True)
            return self.out_proj(y.transpose(1, 2).reshape(B, T, -1))

    return Builtin()


BENCH = Bench(dims={"T": [128, 512, 1024]}, fixed={"B": 4, "d": 1024, "h": 16, "kv": 4}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved, builtin=builtin,
              quick={"T": 64, "B": 1, "d": 256, "h": 4, "kv": 2})
