"""Cases for int8 quantization: a worked example, other axes, an all-zero channel, random weights.

Random weights are built on the quantization grid: w = (k + offset)·s with integers |k| ≤ 126,
offsets in [-0.4, 0.4] and one element per channel at exactly ±127·s. So the channel maximum
is known (scale = s) and w/scale is never within 0.1 of a half-integer: float32 rounding can
never flip a q, and every correct rounding (half to even, half away from zero) agrees.
"""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "q-range": ("q has values outside [-127, 127] (min {low}, max {high})",
                "q 有超出 [-127, 127] 的值（最小 {low}，最大 {high}）"),
    "rounding": ("|w - dequantize_int8(q, scale)| exceeds scale/2: q is not w/scale rounded to nearest",
                 "|w - dequantize_int8(q, scale)| 超过了 scale/2：q 不是 w/scale 四舍五入到最近整数的结果"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _on_grid(gen, shape, dim, low_scale=1e-3, high_scale=10.0):
    """A weight whose channels (along `dim`) have known scales, far from rounding ties."""
    dim = dim % len(shape)
    moved = [shape[dim]] + [s for i, s in enumerate(shape) if i != dim]  # channels first
    channels, per_channel = moved[0], 1
    for s in moved[1:]:
        per_channel *= s
    k = torch.randint(-126, 127, (channels, per_channel), generator=gen).double()
    offset = (torch.rand(channels, per_channel, generator=gen, dtype=torch.float64) - 0.5) * 0.8
    grid = k + offset
    peak = torch.randint(0, per_channel, (channels,), generator=gen)
    sign = torch.randint(0, 2, (channels,), generator=gen).double() * 2 - 1
    grid[torch.arange(channels), peak] = 127.0 * sign  # the channel's max |w| is exactly 127·s
    log_s = torch.rand(channels, 1, generator=gen, dtype=torch.float64)
    s = low_scale * (high_scale / low_scale) ** log_s
    return (grid * s).reshape(moved).movedim(0, dim).contiguous()


def fixed_cases():
    """The worked example, other axes, 1-D, 3-D, an all-zero channel, one channel, tiny and huge scales."""
    gen = torch.Generator().manual_seed(127)
    worked = torch.tensor([[0.5, -1.27, 0.1], [2.54, 0.0, -1.0]], dtype=torch.float64)
    with_zero_row = _on_grid(gen, (4, 5), 0)
    with_zero_row[2] = 0.0
    return [
        Case("worked-example", (worked,), note="scales [0.01, 0.02]; q = [[50, -127, 10], [127, 0, -50]]"),
        Case("per-column-dim-1", (_on_grid(gen, (5, 6), 1),), {"dim": 1}),
        Case("dim-minus-1", (_on_grid(gen, (3, 4), -1),), {"dim": -1}),
        Case("vector-each-element-a-channel", (_on_grid(gen, (1, 7), 1).reshape(7),)),
        Case("conv-weight-3d", (_on_grid(gen, (4, 3, 2), 0),)),
        Case("all-zero-channel", (with_zero_row,)),
        Case("one-channel", (_on_grid(gen, (1, 9), 0),)),
        Case("tiny-and-huge-channels", (_on_grid(gen, (6, 8), 0, 1e-6, 1e3),)),
    ]


def random_cases(gen, count):
    """`count` random 2-D or 3-D weights with channels on a random axis."""
    cases = []
    for i in range(count):
        ndim = 2 + i % 2
        shape = tuple(int(s) for s in torch.randint(1, 9, (ndim,), generator=gen))
        dim = int(torch.randint(0, ndim, (1,), generator=gen))
        if shape[dim] == 1:  # at least two channels, so one scale per channel is visible
            shape = shape[:dim] + (2,) + shape[dim + 1:]
        kwargs = {} if dim == 0 else {"dim": dim}
        cases.append(Case(f"random-{i}", (_on_grid(gen, shape, dim),), kwargs))
    return cases


def properties(case, output, reference):
    """q in [-127, 127], and every element within scale/2 of its dequantized value."""
    q, dequantized, scale = output["q"], output["dequantized"], reference["scale"]
    problems = []
    if int(q.min()) < -127 or int(q.max()) > 127:
        problems.append(_say("q-range", low=int(q.min()), high=int(q.max())))
    w = case.args[0]
    # scale/2 from rounding, plus the rounding of w itself to the checked dtype
    slack = 4 * torch.finfo(dequantized.dtype).eps * w.abs()
    excess = (w - dequantized.double()).abs() - (scale.double() / 2 + slack)
    if float(excess.max()) > 0:
        problems.append(_say("rounding"))
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, rows, cols):
    """An nn.Linear weight (out_features = rows, in_features = cols), one scale per output row."""
    return Case(f"rows={rows}", (torch.randn(rows, cols, generator=gen),))


def flops(case):
    """About 6 operations per element: abs, max, divide, round, clamp, and the multiply back."""
    return 6 * case.args[0].numel()


def bytes_moved(case):
    """Read w, write q (1 byte each), read q again and write the dequantized tensor."""
    w = case.args[0]
    return w.numel() * (2 * w.element_size() + 2)


def builtin(w, dim=0):
    """torch.quantize_per_channel with the same scales (qint8 uses [-128, 127]; ours never reach -128)."""
    dim = dim % w.ndim
    others = [d for d in range(w.ndim) if d != dim]
    amax = w.abs().amax(dim=others) if others else w.abs()
    scale = amax.clamp_min(torch.finfo(w.dtype).tiny).double() / 127
    zero_points = torch.zeros(w.shape[dim], dtype=torch.int64)
    quantized = torch.quantize_per_channel(w.float(), scale, zero_points, dim, torch.qint8)
    keep = [1] * w.ndim
    keep[dim] = w.shape[dim]
    return quantized.int_repr(), scale.to(w.dtype).reshape(keep)


def dequantize_int8(q, scale):
    """The built-in's dequantize, found by the harness beside `builtin` as it is beside a submission."""
    return q.to(scale.dtype) * scale


BENCH = Bench(dims={"rows": [1024, 4096, 11008]}, fixed={"cols": 4096}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"rows": 256})
