"""Cases for RoPE (interleaved pairs): a worked example, one pair, one position, other bases,
head-shaped inputs, rows that repeat one vector (for the relative-position property), long
positions, random shapes. Properties: norms preserved, scores depend only on m - n."""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "norm": ("a row's norm changed by {worst} of itself (allowed {allowed}): a rotation keeps norms",
             "某一行的范数变化了自身的 {worst}（允许 {allowed}）：旋转不改变范数"),
    "relative": ("⟨rope(q)_m, rope(k)_n⟩ depends on more than m - n (off by {worst}, allowed {allowed}): every row "
                 "must turn by an angle proportional to its position",
                 "⟨rope(q)_m, rope(k)_n⟩ 不只依赖于 m - n（偏差 {worst}，允许 {allowed}）：每一行旋转的角度必须与其位置成正比"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

# Property bounds, relative to the norms involved, per output dtype (times the case's
# tolerance_scale): a few units of rounding in each dtype, far below what any wrong angle gives.
_PROPERTY_RTOL = {torch.float64: 1e-9, torch.float32: 2e-4, torch.float16: 2e-2, torch.bfloat16: 8e-2}


def _scale(T):
    # float32 rounds the angle t·θ with an error about 1e-7·t: let the tolerance grow past 64 positions.
    return max(1.0, T / 64)


def _repeated_rows(gen, batch, T, D):
    """Every row along T is the same vector (one per batch entry): the input of the m - n property."""
    v = torch.randn(*batch, 1, D, generator=gen, dtype=torch.float64)
    return v.expand(*batch, T, D).clone()


def fixed_cases():
    """A worked example and edge cases."""
    gen = torch.Generator().manual_seed(2021)

    def randn(*shape):
        return torch.randn(shape, generator=gen, dtype=torch.float64)

    pair = torch.tensor([1.0, 0.0, 1.0, 0.0], dtype=torch.float64)
    return [
        # D = 4: θ_0 = 1, θ_1 = 10000^(-2/4) = 0.01. Row 0 is unchanged; row 1 turns (1, 0) by 1 and by 0.01 rad.
        Case("worked-example-d4", (torch.stack([pair, pair]),),
             expected=torch.tensor([[1.0, 0.0, 1.0, 0.0],
                                    [0.540302, 0.841471, 0.999950, 0.010000]], dtype=torch.float64)),
        Case("one-pair-d2", (randn(5, 2),)),
        Case("one-position", (randn(2, 1, 6),)),
        Case("heads-B2-H3-T5-D8", (randn(2, 3, 5, 8),)),
        Case("base-500000", (randn(1, 9, 16),), {"base": 500000.0}),
        Case("base-100", (randn(3, 7, 6),), {"base": 100.0}),
        Case("relative-position-q-and-k", (_repeated_rows(gen, (2,), 12, 8),)),
        Case("relative-position-heads", (_repeated_rows(gen, (2, 2), 7, 6),), {"base": 50.0}),
        Case("long-positions-1024", (randn(1, 1024, 8),), tolerance_scale=_scale(1024)),
    ]


def random_cases(gen, count):
    """`count` random inputs: 0-2 batch dims, 1-24 positions, D even 2-16, several bases; every
    third one repeats one vector along T (so the relative-position property applies)."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        T, D = size(1, 24), 2 * size(1, 8)
        base = (10000.0, 10000.0, 500000.0, 100.0)[size(0, 3)]
        kwargs = {} if base == 10000.0 else {"base": base}
        if i % 3 == 2:
            batch = [2] + [size(1, 3) for _ in range(size(0, 1))]
            x = _repeated_rows(gen, batch, max(T, 2), D)
            name = f"random-{i}-repeated-rows"
        else:
            batch = [size(1, 3) for _ in range(size(0, 2))]
            x = torch.randn(*batch, T, D, generator=gen, dtype=torch.float64) * 2
            name = f"random-{i}"
        cases.append(Case(name, (x,), kwargs, tolerance_scale=_scale(x.shape[-2])))
    return cases


def properties(case, output, reference):
    """Rotations keep every row's norm; when every row of two batch entries is one vector (q and k),
    ⟨rope(q)_m, rope(k)_n⟩ depends only on m - n."""
    got = output
    if not got.is_floating_point():
        return []
    rtol = _PROPERTY_RTOL.get(got.dtype, 1e-4) * case.tolerance_scale
    x = case.args[0].to(got.dtype).double()
    out = got.double()
    failed = []
    norm_in, norm_out = x.norm(dim=-1), out.norm(dim=-1)
    worst = float(((norm_out - norm_in).abs() / norm_in.clamp_min(1e-12)).max()) if x.numel() else 0.0
    if worst > rtol:
        failed.append(_say("norm", worst=f"{worst:.3g}", allowed=f"{rtol:.1g}"))
    T = x.shape[-2]
    rows = x.reshape(-1, T, x.shape[-1])
    if rows.shape[0] >= 2 and T >= 2 and torch.equal(rows, rows[:, :1].expand_as(rows)):
        q, k = out.reshape(rows.shape)[0], out.reshape(rows.shape)[1]
        scores = q @ k.T  # (T, T): scores[m, n] = ⟨rope(q)_m, rope(k)_n⟩
        bound = rtol * float(rows[0, 0].norm() * rows[1, 0].norm())
        worst = 0.0
        for m in range(T):
            for n in range(T):
                same_offset = scores[m - n, 0] if m >= n else scores[0, n - m]
                worst = max(worst, float((scores[m, n] - same_offset).abs()))
        if worst > bound:
            failed.append(_say("relative", worst=f"{worst:.3g}", allowed=f"{bound:.1g}"))
    return failed


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, H, D):
    """(batch, heads, positions, head dim)."""
    return Case(f"T={T}", (torch.randn(B, H, T, D, generator=gen),), tolerance_scale=_scale(T))


def flops(case):
    """6 FLOPs per pair: four multiplications and two additions (the cos/sin table is O(T·D))."""
    return 3 * case.args[0].numel()


def bytes_moved(case):
    """Reading x and writing the output."""
    return 2 * case.args[0].numel() * case.args[0].element_size()


# No built-in: PyTorch has no rotary-embedding built-in


BENCH = Bench(dims={"T": [512, 1024, 2048]}, fixed={"B": 4, "H": 16, "D": 128}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"T": 256, "B": 1, "H": 8, "D": 64})
