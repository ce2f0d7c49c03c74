"""Cases for flash attention: the worked example, every option at block boundaries (S not a
multiple of the block, L != S, causal with L < S and L > S, block_size 1 and larger than the
sequence), large scores (the running max matters), and long cases where the memory is checked
(harness.py): there L, S >= 4 × block_size and nothing as large as the L × S matrix may exist."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def fixed_cases():
    gen = torch.Generator().manual_seed(2205)

    def randn(*shape, scale=1.0):
        return torch.randn(shape, generator=gen, dtype=torch.float64) * scale

    qk = _t([[1, 0], [0, 1], [1, 1]])
    v = _t([[1, 2], [3, 4], [5, 6]])
    return [
        # The scaled-dot-product-attention example, in key blocks of 2: the max grows in block 2.
        Case("worked-example-blocks-of-2", (qk, qk, v), {"block_size": 2},
             expected=_t([[3.0, 4.0], [3.4067, 4.4067], [3.5105, 4.5105]])),
        Case("worked-example-causal", (qk, qk, v), {"is_causal": True, "block_size": 2},
             expected=_t([[1.0, 2.0], [2.3395, 3.3395], [3.5105, 4.5105]])),
        Case("one-block-covers-all", (randn(2, 5, 4), randn(2, 7, 4), randn(2, 7, 3)), {"block_size": 64}),
        Case("block-size-1", (randn(1, 4, 3), randn(1, 6, 3), randn(1, 6, 2)), {"block_size": 1}),
        Case("length-1", (randn(1, 1, 4), randn(1, 1, 4), randn(1, 1, 4)), {"block_size": 4}),
        Case("S-not-a-multiple-of-the-block", (randn(2, 2, 6, 4), randn(2, 2, 11, 4), randn(2, 2, 11, 5)),
             {"block_size": 4}),
        Case("L-not-a-multiple-of-the-block", (randn(3, 9, 4), randn(3, 8, 4), randn(3, 8, 4)), {"block_size": 4}),
        Case("causal-L<S", (randn(2, 5, 4), randn(2, 11, 4), randn(2, 11, 3)), {"is_causal": True, "block_size": 4}),
        Case("causal-L>S", (randn(1, 10, 3), randn(1, 6, 3), randn(1, 6, 2)), {"is_causal": True, "block_size": 4}),
        Case("causal-one-block", (randn(2, 5, 4), randn(2, 7, 4), randn(2, 7, 3)), {"is_causal": True, "block_size": 8}),
        Case("causal-L=S-across-blocks", (randn(2, 13, 4), randn(2, 13, 4), randn(2, 13, 4)),
             {"is_causal": True, "block_size": 5}),
        # Scores of a few hundred: exp without the running max overflows.
        Case("large-scores", (randn(2, 6, 4, scale=15), randn(2, 10, 4, scale=15), randn(2, 10, 3)),
             {"block_size": 3}, tolerance_scale=20.0),
        # Long enough that the memory is checked: tiles of 16 × 16 against an 80 × 96 matrix.
        Case("memory-L80-S96-block16", (randn(2, 80, 8), randn(2, 96, 8), randn(2, 96, 8)), {"block_size": 16}),
        Case("memory-causal-256-default-block", (randn(1, 1, 256, 16), randn(1, 1, 256, 16), randn(1, 1, 256, 16)),
             {"is_causal": True}),
    ]


def random_cases(gen, count):
    """`count` random cases: 0-2 batch dims, lengths 1-20, blocks of 2-8, causal every other one."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        batch = [size(1, 3) for _ in range(size(0, 2))]
        L, S, D, Dv, block = size(1, 20), size(1, 20), size(1, 8), size(1, 8), size(2, 8)
        causal = i % 2 == 1
        q = torch.randn(*batch, L, D, generator=gen, dtype=torch.float64) * 2
        k = torch.randn(*batch, S, D, generator=gen, dtype=torch.float64) * 2
        v = torch.randn(*batch, S, Dv, generator=gen, dtype=torch.float64)
        cases.append(Case(f"random-{i}{'-causal' if causal else ''}", (q, k, v),
                          {"is_causal": causal, "block_size": block}))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, H, D):
    """Causal, head dim D, blocks of 64: the Python loop runs (T/64)² / 2 tiles."""
    return Case(f"T={T}", tuple(torch.randn(B, H, T, D, generator=gen) for _ in range(3)), {"is_causal": True})


def flops(case):
    """2·L·S·D for q kᵀ plus 2·L·S·Dv for p·v per batch-head (halved when causal; softmax ignored)."""
    q, k, v = case.args
    batch = q[..., 0, 0].numel()
    L, D, S, Dv = q.shape[-2], q.shape[-1], k.shape[-2], v.shape[-1]
    full = batch * (2 * L * S * D + 2 * L * S * Dv)
    return full // 2 if case.kwargs.get("is_causal") else full


def bytes_moved(case):
    """Reading q, k, v and writing the output once: what the tiled kernel achieves."""
    q, k, v = case.args
    out = q.numel() // q.shape[-1] * v.shape[-1]
    return (q.numel() + k.numel() + v.numel() + out) * q.element_size()


def builtin(q, k, v, is_causal=False, block_size=64):
    """PyTorch's fused attention (a flash kernel on GPUs that have one)."""
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=is_causal)


BENCH = Bench(dims={"T": [128, 256, 512]}, fixed={"B": 1, "H": 4, "D": 64}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin)
