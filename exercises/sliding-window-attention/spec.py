"""Cases for sliding-window attention: the worked example, window 1 (each query sees only
itself), a window at least as long as the sequence (plain causal attention), L < S (the queries
are the last L positions), L = 1 (one decoding step), batch and head dims, and random ones."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def fixed_cases():
    gen = torch.Generator().manual_seed(2310)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    zeros = torch.zeros(4, 1, dtype=torch.float64)
    v = _t([[1.0], [2.0], [3.0], [4.0]])
    return [
        # Equal scores: each query averages the values of its window.
        Case("worked-example-window-2", (zeros, zeros, v), {"window": 2}, expected=_t([[1.0], [1.5], [2.5], [3.5]])),
        Case("window-1-sees-itself", (randn(2, 5, 3), randn(2, 5, 3), randn(2, 5, 4)), {"window": 1}),
        Case("window>=L-is-causal", (randn(2, 6, 4), randn(2, 6, 4), randn(2, 6, 4)), {"window": 9}),
        Case("window=L", (randn(1, 5, 4), randn(1, 5, 4), randn(1, 5, 2)), {"window": 5}),
        Case("L<S-last-positions", (randn(2, 3, 4), randn(2, 8, 4), randn(2, 8, 3)), {"window": 3}),
        Case("L<S-window-1", (randn(2, 3, 4), randn(2, 7, 4), randn(2, 7, 3)), {"window": 1}),
        Case("decode-step-L=1", (randn(2, 2, 1, 4), randn(2, 2, 9, 4), randn(2, 2, 9, 4)), {"window": 4}),
        Case("heads-odd-sizes", (randn(2, 3, 7, 5), randn(2, 3, 7, 5), randn(2, 3, 7, 6)), {"window": 3}),
        Case("length-1", (randn(1, 1, 3), randn(1, 1, 3), randn(1, 1, 3)), {"window": 1}),
    ]


def random_cases(gen, count):
    """`count` random cases: 0-2 batch dims, S from 2 to 12, L <= S, windows from 1 to S + 2."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        batch = [size(1, 3) for _ in range(size(0, 2))]
        S = size(2, 12)
        L = S if i % 2 == 0 else size(1, S)
        D, Dv, window = size(1, 8), size(1, 8), size(1, S + 2)
        q = torch.randn(*batch, L, D, generator=gen, dtype=torch.float64) * 1.5
        k = torch.randn(*batch, S, D, generator=gen, dtype=torch.float64) * 1.5
        v = torch.randn(*batch, S, Dv, generator=gen, dtype=torch.float64)
        cases.append(Case(f"random-{i}", (q, k, v), {"window": window}))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, H, D, W):
    """A window of W keys per query."""
    return Case(f"T={T}", tuple(torch.randn(B, H, T, D, generator=gen) for _ in range(3)), {"window": W})


def flops(case):
    """Work a banded kernel must do: 4·D per (query, key inside the window) pair."""
    q, k, v = case.args
    batch = q[..., 0, 0].numel()
    L, S, D, window = q.shape[-2], k.shape[-2], q.shape[-1], case.kwargs["window"]
    pairs = sum(min(window, S - L + t + 1) for t in range(L))
    return batch * pairs * (2 * D + 2 * v.shape[-1])


def bytes_moved(case):
    """Reading q, k, v and writing the output."""
    q, k, v = case.args
    out = q.numel() // q.shape[-1] * v.shape[-1]
    return (q.numel() + k.numel() + v.numel() + out) * q.element_size()


def builtin(q, k, v, window):
    """PyTorch's fused attention given the window as a boolean mask."""
    L, S = q.size(-2), k.size(-2)
    i = torch.arange(S - L, S)[:, None]
    j = torch.arange(S)[None, :]
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=(j <= i) & (j > i - window))


BENCH = Bench(dims={"T": [128, 256, 512]}, fixed={"B": 1, "H": 8, "D": 64, "W": 128}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved, builtin=builtin)
