"""Cases for RMSNorm: a worked example, a check against F.rms_norm, rows where eps matters,
one feature, a zero row, rows with a large mean, random shapes."""

import torch

from llmprep.exercise_api import Case


def _weight(gen, D):
    """A weight near 1, random enough that leaving it out is visible."""
    return 1.0 + 0.5 * torch.randn(D, generator=gen, dtype=torch.float64)


def fixed_cases():
    """A worked example, the built-in on the same inputs, and edge cases."""
    gen = torch.Generator().manual_seed(2019)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    x_builtin, w_builtin = randn(3, 4, 6) * 2 + 1, _weight(gen, 6)
    zero_row = torch.stack([torch.zeros(5, dtype=torch.float64), randn(5)])
    return [
        # mean(x²) = 7.5, so y = x / √7.5000010.
        Case("worked-example-1-2-3-4", (torch.tensor([[1.0, 2.0, 3.0, 4.0]], dtype=torch.float64),
                                        torch.ones(4, dtype=torch.float64)),
             expected=torch.tensor([[0.365148, 0.730297, 1.095445, 1.460593]], dtype=torch.float64)),
        Case("same-as-F.rms_norm", (x_builtin, w_builtin),
             expected=torch.nn.functional.rms_norm(x_builtin, (6,), w_builtin, 1e-6)),
        # RMS ≈ 0.03, so mean(x²) ≈ eps = 1e-3: eps outside the root is far off. (Rows near the
        # default eps, RMS ≈ 1e-3, would underflow x² in float16.) The gradient grows like 1/RMS,
        # hence the wider tolerance.
        Case("small-rows-eps-matters", (randn(2, 6) * 0.03, _weight(gen, 6)), {"eps": 1e-3},
             tolerance_scale=5.0),
        Case("large-eps", (randn(3, 5), _weight(gen, 5)), {"eps": 0.5}),
        Case("one-feature", (randn(4, 1), _weight(gen, 1))),
        Case("1-d-input", (randn(7), _weight(gen, 7))),
        Case("zero-row", (zero_row, _weight(gen, 5))),
        Case("large-mean", (randn(2, 3, 8) + 5.0, _weight(gen, 8))),
    ]


def random_cases(gen, count):
    """`count` random inputs: 0-2 batch dims, 2-16 features, scale 0.2-3.2, offsets, several eps."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        batch = [size(1, 4) for _ in range(size(0, 2))]
        D = size(2, 16)
        scale = float(torch.rand(1, generator=gen, dtype=torch.float64)) * 3 + 0.2
        offset = float(torch.randn(1, generator=gen, dtype=torch.float64)) * scale
        x = torch.randn(*batch, D, generator=gen, dtype=torch.float64) * scale + offset
        eps = (1e-6, 1e-5, 0.1)[i % 3]
        kwargs = {} if eps == 1e-6 else {"eps": eps}
        cases.append(Case(f"random-{i}", (x, _weight(gen, D)), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, D):
    """N tokens of D features."""
    return Case(f"N={N}", (torch.randn(N, D, generator=gen), torch.ones(D)))


def flops(case):
    """About 4 FLOPs per element: square, mean, divide, scale (+ a root per row)."""
    return 4 * case.args[0].numel()


def bytes_moved(case):
    """Reading x and weight, writing the output."""
    x, weight = case.args
    return (2 * x.numel() + weight.numel()) * x.element_size()


def builtin(x, weight, eps=1e-6):
    """PyTorch's RMSNorm."""
    return torch.nn.functional.rms_norm(x, (x.shape[-1],), weight, eps)


BENCH = Bench(dims={"N": [2048, 8192, 16384]}, fixed={"D": 1024}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 512})
