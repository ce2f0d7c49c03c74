"""Cases for LayerNorm: the corrected examples of TOPICS.md (003 411-424, 004 825), a check
against F.layer_norm, rows where eps matters, one feature, constant rows, random shapes."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _affine(gen, D):
    """A weight near 1 and a bias near 0, random enough that leaving them out is visible."""
    weight = 1.0 + 0.5 * torch.randn(D, generator=gen, dtype=torch.float64)
    bias = 0.5 * torch.randn(D, generator=gen, dtype=torch.float64)
    return weight, bias


def _rows(z, std, mean):
    """Rows of z rescaled to exactly this (biased) std and mean.

    Every row keeps |mean| <= 3·std, so the one-pass formula var = E[x²] - mean², correct but
    prone to cancellation, stays accurate in float32: honest implementations all pass."""
    z = z - z.mean(dim=-1, keepdim=True)
    z = z / z.pow(2).mean(dim=-1, keepdim=True).sqrt()
    return z * std + mean


def fixed_cases():
    """Worked examples, the built-in on the same inputs, and edge cases."""
    gen = torch.Generator().manual_seed(1607)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    ones4, zeros4 = torch.ones(4, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)
    ones2, zeros2 = torch.ones(2, dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    x_builtin, (w_builtin, b_builtin) = _rows(randn(3, 4, 6), 2.0, 1.0), _affine(gen, 6)
    builtin_expected = torch.nn.functional.layer_norm(x_builtin, (6,), w_builtin, b_builtin, 1e-5)
    # Rows with σ ≈ 0.01, where eps = 1e-5 moves √(σ² + eps) by 5 %: eps outside the root shows.
    x_small = _rows(randn(2, 5), 0.01, 0.02)
    # A constant row: the mean is exact in every dtype, so x - mean is exactly 0 and the output is bias.
    x_constant = torch.stack([torch.full((4,), 2.0, dtype=torch.float64), randn(4)])
    return [
        # 004 825 omits γ and β; LN([1, 2, 3, 4]) with γ = 1, β = 0.
        Case("004-ln-1-2-3-4", (_t([[1, 2, 3, 4]]), ones4, zeros4),
             expected=_t([[-1.3416, -0.4472, 0.4472, 1.3416]])),
        # 003 411-424 divides by the L2 norm (and gets 0.3175/0.9688); LayerNorm of [0.5, 1.5] is [-1, 1].
        Case("003-example", (_t([[0.5, 1.5], [1.5, 0.5]]), ones2, zeros2),
             expected=_t([[-1.0, 1.0], [1.0, -1.0]])),
        Case("same-as-F.layer_norm", (x_builtin, w_builtin, b_builtin), expected=builtin_expected),
        Case("small-variance-rows", (x_small, *_affine(gen, 5)), tolerance_scale=10.0),
        Case("large-eps", (randn(3, 5), *_affine(gen, 5)), {"eps": 0.5}),
        Case("one-feature", (randn(3, 1), *_affine(gen, 1))),
        Case("1-d-input", (randn(7), *_affine(gen, 7))),
        Case("constant-row", (x_constant, *_affine(gen, 4))),
        Case("offset-and-scale", (_rows(randn(2, 3, 8), 4.0, -9.0), *_affine(gen, 8))),
    ]


def random_cases(gen, count):
    """`count` random inputs: 0-2 batch dims, 2-16 features, std 0.2-3.2, |mean| <= 3·std, several eps."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        batch = [size(1, 4) for _ in range(size(0, 2))]
        D = size(2, 16)
        std = float(torch.rand(1, generator=gen, dtype=torch.float64)) * 3 + 0.2
        mean = float(torch.rand(1, generator=gen, dtype=torch.float64) * 6 - 3) * std
        x = _rows(torch.randn(*batch, D, generator=gen, dtype=torch.float64), std, mean)
        eps = (1e-5, 1e-3, 0.1)[i % 3]
        kwargs = {} if eps == 1e-5 else {"eps": eps}
        cases.append(Case(f"random-{i}", (x, *_affine(gen, D)), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, D):
    """N tokens of D features."""
    return Case(f"N={N}", (torch.randn(N, D, generator=gen), torch.ones(D), torch.zeros(D)))


def flops(case):
    """About 8 FLOPs per element: mean, subtract, square, mean, divide, scale, shift (+ a root per row)."""
    return 8 * case.args[0].numel()


def bytes_moved(case):
    """Reading x, weight and bias, writing the output."""
    x, weight, bias = case.args
    return (2 * x.numel() + weight.numel() + bias.numel()) * x.element_size()


def builtin(x, weight, bias, eps=1e-5):
    """PyTorch's fused LayerNorm."""
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), weight, bias, eps)


BENCH = Bench(dims={"N": [2048, 8192, 16384]}, fixed={"D": 1024}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 512})
