"""Cases for RoPE with context extension: the worked example (NTK, position 8000), every scaling (YaRN too)
at positions far beyond the trained length, factor 1 (no change), dynamic NTK inside and beyond
the trained length, one decoding step at a large position (T = 1), head-shaped inputs, and random
ones. Positions reach 20000, so angles computed in float32 fail (the README says why)."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _positions(*values):
    return torch.tensor(values, dtype=torch.int64)


def fixed_cases():
    gen = torch.Generator().manual_seed(2306)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    far = _positions(2047, 2048, 4095, 8000, 8191)
    return [
        # D = 4, NTK ×4: base' = 10000 · 4² = 160000, θ = [1, 1/400]; at p = 8000 the angles are [8000, 20].
        Case("worked-example-ntk", (_t([[1.0, 0.0, 1.0, 0.0]]), _positions(8000)),
             {"scaling": "ntk", "factor": 4.0},
             expected=_t([[0.0656, 0.9978, 0.4081, 0.9129]])),
        Case("none-far-positions", (randn(2, 5, 8), far)),
        Case("linear-x4", (randn(2, 5, 8), far), {"scaling": "linear", "factor": 4.0}),
        Case("ntk-x8-d16", (randn(1, 5, 16), far), {"scaling": "ntk", "factor": 8.0}),
        Case("ntk-factor-1-is-none", (randn(3, 4, 6), _positions(0, 1, 2, 3)), {"scaling": "ntk", "factor": 1.0}),
        Case("dynamic-within-trained-length", (randn(2, 6, 8), torch.arange(6)),
             {"scaling": "dynamic-ntk", "factor": 4.0, "original_max_position": 16}),
        Case("dynamic-beyond-trained-length", (randn(2, 40, 8), torch.arange(40)),
             {"scaling": "dynamic-ntk", "factor": 2.0, "original_max_position": 16}),
        Case("dynamic-one-decoding-step", (randn(2, 1, 8), _positions(5000)),
             {"scaling": "dynamic-ntk", "factor": 2.0, "original_max_position": 2048}),
        # D = 16 at 2048 trained positions: pairs turn 326, 103, 32.6, 10.3, 3.3, 1.03, 0.33, 0.10 times,
        # so YaRN keeps three, blends three and interpolates two.
        Case("yarn-x4-d16", (randn(2, 5, 16), far), {"scaling": "yarn", "factor": 4.0}),
        Case("yarn-x16-heads", (randn(2, 2, 3, 8), _positions(100, 30000, 60000)),
             {"scaling": "yarn", "factor": 16.0, "original_max_position": 4096}),
        Case("yarn-factor-1-is-none", (randn(3, 4, 6), _positions(0, 5, 9, 700)), {"scaling": "yarn", "factor": 1.0}),
        Case("heads-base-500000", (randn(2, 3, 4, 12), _positions(10, 20000, 30, 12000)),
             {"scaling": "ntk", "factor": 4.0, "base": 500000.0}),
    ]


def random_cases(gen, count):
    """`count` random cases: D from 4 to 16, 1-8 positions up to 20000, each scaling in turn (yarn included)."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        scaling = ("linear", "ntk", "dynamic-ntk", "yarn", "none")[i % 5]
        D, T = 2 * size(2, 8), size(1, 8)
        positions = torch.randperm(20000, generator=gen)[:T].sort().values
        kwargs = {"scaling": scaling, "factor": (1.5, 2.0, 4.0, 8.0)[size(0, 3)],
                  "original_max_position": (512, 2048, 4096)[size(0, 2)]}
        batch = [size(1, 3) for _ in range(size(0, 2))]
        x = torch.randn(*batch, T, D, generator=gen, dtype=torch.float64)
        cases.append(Case(f"random-{i}-{scaling}", (x, positions), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, H, D):
    """NTK ×4 on (B, H, T, D) queries at positions 0..T-1."""
    return Case(f"T={T}", (torch.randn(B, H, T, D, generator=gen), torch.arange(T)), {"scaling": "ntk", "factor": 4.0})


def flops(case):
    """6 FLOPs per pair (4 multiplies, 2 adds) per row; the angle table is T·D/2 more."""
    x = case.args[0]
    return 3 * x.numel() + x.shape[-2] * x.shape[-1] // 2


def bytes_moved(case):
    """Reading x and writing the output."""
    x = case.args[0]
    return 2 * x.numel() * x.element_size()


# No built-in: PyTorch has no RoPE


BENCH = Bench(dims={"T": [512, 2048, 8192]}, fixed={"B": 1, "H": 8, "D": 128}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved)
