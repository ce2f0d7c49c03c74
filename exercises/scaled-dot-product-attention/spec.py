"""Cases for scaled dot-product attention: the corrected worked examples of TOPICS.md, every
option (masks, causal with L < S and L > S), odd sizes, and random ones."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _mask(shape, gen):
    """A random bool mask in which every row has at least one True and one False (when S >= 2),
    so no attention row is fully masked, even with the mask inverted."""
    mask = torch.rand(shape, generator=gen) < 0.6
    S = shape[-1]
    rows = mask.reshape(-1, S)
    keep = torch.randint(0, S, (rows.shape[0],), generator=gen)
    rows[torch.arange(rows.shape[0]), keep] = True
    if S >= 2:
        drop = (keep + torch.randint(1, S, (rows.shape[0],), generator=gen)) % S
        rows[torch.arange(rows.shape[0]), drop] = False
    return rows.reshape(shape)


def fixed_cases():
    """The corrected worked examples (001 247-253, 002 405-456, 004 722-807) and every option."""
    gen = torch.Generator().manual_seed(2017)

    def randn(*shape, scale=1.0):
        return torch.randn(shape, generator=gen, dtype=torch.float64) * scale

    q001 = _t([[1, 1, 1], [0, 1, 1], [0, 0, 1]])
    eye = torch.eye(3, dtype=torch.float64)
    m002 = _t([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])
    qk004 = _t([[1, 0], [0, 1], [1, 1]])
    v004 = _t([[1, 2], [3, 4], [5, 6]])
    return [
        # 001 claims [0.578, 0.212, 0.210] for "dog"; K = V = I, so the output is the weights.
        Case("001-dog-cat-fish", (q001, eye, eye),
             expected=_t([[1 / 3, 1 / 3, 1 / 3], [0.2192, 0.3904, 0.3904], [0.2645, 0.2645, 0.4711]])),
        Case("001-dog-cat-fish-causal", (q001, eye, eye), {"is_causal": True},
             expected=_t([[1, 0, 0], [0.3595, 0.6405, 0], [0.2645, 0.2645, 0.4711]])),
        # 002 claims the output equals V.
        Case("002-qkv-example", (m002, m002, m002),
             expected=_t([[0.4207, 0.5207, 0.6207], [0.4514, 0.5514, 0.6514], [0.4808, 0.5808, 0.6808]])),
        Case("002-qkv-example-causal", (m002, m002, m002), {"is_causal": True}),
        # 004 drops the √d_k and the key index.
        Case("004-example", (qk004, qk004, v004),
             expected=_t([[3.0, 4.0], [3.4067, 4.4067], [3.5105, 4.5105]])),
        Case("batch-1-length-1", (randn(1, 1, 3), randn(1, 1, 3), randn(1, 1, 2))),
        Case("L!=S-Dv!=D", (randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 6))),
        Case("causal-L<S", (randn(2, 3, 4), randn(2, 6, 4), randn(2, 6, 5)), {"is_causal": True}),
        Case("causal-L>S", (randn(1, 5, 3), randn(1, 2, 3), randn(1, 2, 2)), {"is_causal": True}),
        Case("mask-L-by-S", (randn(2, 4, 5), randn(2, 6, 5), randn(2, 6, 3)), {"mask": _mask((4, 6), gen)}),
        Case("key-padding-mask-heads", (randn(2, 2, 3, 4), randn(2, 2, 5, 4), randn(2, 2, 5, 4)),
             {"mask": _mask((2, 1, 1, 5), gen)}),
        Case("large-magnitude", (randn(2, 4, 4, scale=20), randn(2, 6, 4, scale=20), randn(2, 6, 3, scale=20)),
             {"mask": _mask((4, 6), gen)}, tolerance_scale=20.0),
    ]


def random_cases(gen, count):
    """`count` random cases with 0-2 batch dims, odd sizes, and no option / a mask / causal in turn."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        batch = [size(1, 3) for _ in range(size(0, 2))]
        L, S, D, Dv = size(1, 7), size(1, 7), size(1, 8), size(1, 8)
        option = ("none", "mask", "causal", "broadcast-mask")[i % 4]
        if option == "causal" and L > S:  # L > S is a fixed case; here keep every row's keys
            L, S = S, L
        q = torch.randn(*batch, L, D, generator=gen, dtype=torch.float64)
        k = torch.randn(*batch, S, D, generator=gen, dtype=torch.float64)
        v = torch.randn(*batch, S, Dv, generator=gen, dtype=torch.float64) * 3
        kwargs = {}
        if option == "mask":
            kwargs["mask"] = _mask((*batch, L, S), gen)
        elif option == "broadcast-mask":
            kwargs["mask"] = _mask((L, S), gen)
        elif option == "causal":
            kwargs["is_causal"] = True
        cases.append(Case(f"random-{i}-{option}", (q, k, v), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, H, D):
    """Causal self-attention over T positions."""
    return Case(f"T={T}", tuple(torch.randn(B, H, T, D, generator=gen) for _ in range(3)), {"is_causal": True})


def _flops(case):
    """2·L·S·D for q kᵀ plus 2·L·S·Dv for weights·v, per batch element (softmax ignored); causal attention
    needs only the (query, key) pairs at or below the diagonal, which a fused kernel alone computes."""
    q, k, v = case.args
    batch = q[..., 0, 0].numel()
    L, D, S, Dv = q.shape[-2], q.shape[-1], k.shape[-2], v.shape[-1]
    pairs = sum(max(0, min(S, S - L + i + 1)) for i in range(L)) if case.kwargs.get("is_causal") else L * S
    return batch * pairs * (2 * D + 2 * Dv)


def _bytes_moved(case):
    """Reading q, k, v and writing the output (the minimum a fused kernel must move)."""
    q, k, v = case.args
    out = q.numel() // q.shape[-1] * v.shape[-1]
    return (q.numel() + k.numel() + v.numel() + out) * q.element_size()


def _builtin(q, k, v, mask=None, is_causal=False):
    """PyTorch's fused attention."""
    return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=is_causal)


BENCH = Bench(dims={"T": [128, 512, 2048]}, fixed={"B": 4, "H": 8, "D": 64}, make=_bench_case, flops=_flops,
              bytes_moved=_bytes_moved, builtin=_builtin, sweep_from=1024, quick={"B": 1, "H": 4},
              sweep={"B": 1, "H": 4})
