"""Cases for softmax: small worked examples, every axis, logits up to ±1e4, random shapes."""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "sums": ("slices along dim {dim} do not sum to 1 (worst sum {worst})",
             "沿 dim {dim} 的切片之和不为 1（最差的和为 {worst}）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _magnitude_scale(x):
    # float32 rounds 1e4 to within ~5e-4, and that error lands in the exponent: let the
    # tolerance grow with the largest input (1 up to |x| = 50, 200 at 1e4).
    return max(1.0, float(x.abs().max()) / 50.0) if x.numel() else 1.0


def fixed_cases():
    """Named cases: a worked example, other axes, length 1, and large magnitudes."""
    large = torch.tensor([[1e4, 1e4 - 1.0, -1e4, 0.0],
                          [-1e4, -1e4 + 2.0, -1e4 + 1.0, -1e4 + 0.5],
                          [5e3, -5e3, 5e3 - 3.0, 4e3]], dtype=torch.float64)
    cube = torch.arange(24, dtype=torch.float64).reshape(2, 3, 4).sin() * 3
    return [
        Case("worked-example-1-2-3", (torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float64),),
             expected=torch.tensor([[0.09003057, 0.24472847, 0.66524096]], dtype=torch.float64)),
        Case("dim-0", (cube[0],), {"dim": 0}),
        Case("middle-dim-1", (cube,), {"dim": 1}),
        Case("length-1-row", (torch.tensor([[3.0], [-2.0]], dtype=torch.float64),)),
        Case("logits-up-to-1e4", (large,), tolerance_scale=_magnitude_scale(large)),
        Case("logits-up-to-1e4-dim-0", (large.T.contiguous(),), {"dim": 0}, tolerance_scale=_magnitude_scale(large)),
    ]


def random_cases(gen, count):
    """`count` random tensors of 1 to 4 dims with odd sizes, a random axis and a random magnitude."""
    cases = []
    for i in range(count):
        ndim = int(torch.randint(1, 5, (1,), generator=gen))
        shape = [int(s) for s in torch.randint(1, 8, (ndim,), generator=gen)]
        magnitude = [1.0, 10.0, 300.0, 1e4][i % 4]
        x = (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * magnitude
        dim = int(torch.randint(-ndim, ndim, (1,), generator=gen))
        cases.append(Case(f"random-{i}", (x,), {"dim": dim}, tolerance_scale=_magnitude_scale(x)))
    return cases


def properties(case, output, reference):
    """Each slice along `dim` sums to 1."""
    got = output
    if not got.is_floating_point():
        return []
    dim = case.kwargs.get("dim", -1)
    sums = got.double().sum(dim=dim)
    if not torch.allclose(sums, torch.ones_like(sums), atol=1e-2):
        return [_say("sums", dim=dim, worst=f"{float(sums.sub(1).abs().max()) + 1:.4g}")]
    return []


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, rows, cols):
    """rows × cols, softmax over the last dimension (float32; bench casts to its dtype)."""
    return Case(f"rows={rows}", (torch.randn(rows, cols, generator=gen),), {"dim": -1})


def flops(case):
    """About 5 FLOPs per element: max, subtract, exp, sum, divide."""
    return 5 * case.args[0].numel()


def bytes_moved(case):
    """One read and one write of x."""
    return 2 * case.args[0].numel() * case.args[0].element_size()


def builtin(x, dim=-1):
    """The PyTorch built-in to compare with."""
    return torch.softmax(x, dim=dim)


BENCH = Bench(dims={"rows": [1024, 4096, 16384]}, fixed={"cols": 4096}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"rows": 256, "cols": 1024})
