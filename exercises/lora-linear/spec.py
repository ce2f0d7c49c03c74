"""Cases for the LoRA layer: rank 1, rank = alpha, batched 3-D inputs, wide and narrow layers.

The harness checks the layer's own initialization (equal to the base layer, lora_A nonzero),
then loads the reference's weights with a nonzero lora_B drawn from the seed, and compares the
output, the gradients of x, lora_A, lora_B and the base (which must get none) and merge().
"""

import torch

from llmprep.exercise_api import Case


def _x(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


def _init(in_features, out_features, r, alpha):
    return {"in_features": in_features, "out_features": out_features, "r": r, "alpha": alpha}


def fixed_cases():
    """Named cases: every rank-alpha relation, 2-D and 3-D inputs, one feature in and out."""
    gen = torch.Generator().manual_seed(2021)
    return [
        Case("r4-alpha8", (_x(gen, 5, 6),), init=_init(6, 4, 4, 8.0)),
        Case("rank-1-alpha-16", (_x(gen, 3, 8),), init=_init(8, 5, 1, 16.0)),
        Case("r-equals-alpha", (_x(gen, 4, 5),), init=_init(5, 7, 2, 2.0)),
        Case("batched-3d-input", (_x(gen, 2, 3, 6),), init=_init(6, 6, 3, 12.0)),
        Case("one-feature-in-and-out", (_x(gen, 4, 1),), init=_init(1, 1, 1, 4.0)),
        Case("rank-above-features", (_x(gen, 3, 2),), init=_init(2, 3, 4, 1.0)),
    ]


def random_cases(gen, count):
    """`count` layers with 1-8 features in and out, rank 1-4, alpha in {1, 2, 4, 8, 16, 32}."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        in_features, out_features, r = size(1, 8), size(1, 8), size(1, 4)
        alpha = float(2 ** size(0, 5))
        shape = (size(1, 4), in_features) if i % 2 else (size(1, 2), size(1, 3), in_features)
        cases.append(Case(f"random-{i}", (_x(gen, *shape),), init=_init(in_features, out_features, r, alpha)))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, d, r):
    """Unmerged LoRA (rank r, alpha 32) on a d-wide projection, for N tokens."""
    return Case(f"N={N}", (torch.randn(N, d, generator=gen),), init=_init(d, d, r, 32.0))


def flops(case):
    """The base matmul (2·N·in·out) plus the two thin ones (2·N·r·(in + out))."""
    x, init = case.args[0], case.init
    n = x.numel() // init["in_features"]
    return 2 * n * init["in_features"] * init["out_features"] + 2 * n * init["r"] * (
        init["in_features"] + init["out_features"])


def bytes_moved(case):
    """Read x, W, b, A and B; write y."""
    x, init = case.args[0], case.init
    i, o, r = init["in_features"], init["out_features"], init["r"]
    n = x.numel() // i
    return (n * i + n * o + i * o + o + r * (i + o)) * x.element_size()


def builtin(in_features, out_features, r, alpha):
    """A plain nn.Linear of the same shape: what the merged layer costs (its own weights)."""
    return torch.nn.Linear(in_features, out_features)


BENCH = Bench(dims={"N": [128, 1024, 4096]}, fixed={"d": 4096, "r": 16}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 64, "d": 1024})
