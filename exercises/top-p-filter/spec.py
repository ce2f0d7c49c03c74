"""Cases for top_p_filter: a worked example, p below the top probability, p near and at 1,
batched rows of every nucleus size, logits near 1e3, -inf already present, V = 1, random.

No case sits on a knife edge: every cumulative probability (most likely first) is at least
MARGIN away from p, and the logits of a row are distinct, so the nucleus is unambiguous."""

import math

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "nucleus": ("row {row}: the kept tokens (probability {mass}) are not the nucleus for p = {p}",
                "第 {row} 行：保留的 token（概率和 {mass}）不是 p = {p} 的核（nucleus）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

MARGIN = 1e-3
# Logits on a grid of 1/16 (or 1/8, 1/4) with |k| <= 255: exact in float16 and bfloat16 too.
GRID_STEPS = (1 / 16, 1 / 8, 1 / 4)


def _t(values):
    return torch.tensor(values, dtype=torch.float64)


def _sorted_cumulative(logits):
    probs = torch.softmax(logits.double(), dim=-1)
    return probs.sort(dim=-1, descending=True).values.cumsum(dim=-1)


def _clear_of_p(row, p):
    """True when the probability ahead of every token (most likely first) is MARGIN away from p."""
    mass_ahead = _sorted_cumulative(row)[..., :-1]
    return bool(((mass_ahead - p).abs() >= MARGIN).all())


def _grid_rows(gen, rows, vocab, p, step, offset=0.0, span=255):
    """`rows` rows of `vocab` distinct grid logits (k·step, |k| <= span), each redrawn until it
    is clear of p."""
    out = []
    for _ in range(rows):
        while True:
            k = torch.randperm(2 * span + 1, generator=gen)[:vocab].to(torch.float64) - span
            row = k * step + offset
            if _clear_of_p(row, p):
                break
        out.append(row)
    return torch.stack(out)


def fixed_cases():
    """Named cases: the worked example of the README and every edge."""
    gen = torch.Generator().manual_seed(4096)
    worked = _t([0.05, 0.5, 0.1, 0.2, 0.15]).log()
    tail = _t([0.095, 0.4, 0.005, 0.3, 0.2]).log()
    with_minus_inf = _grid_rows(gen, 3, 12, 0.9, 1 / 8)
    with_minus_inf[:, ::3] = float("-inf")  # already removed by an earlier top-k
    return [
        Case("worked-example-p0.8", (worked, 0.8),
             expected=torch.where(_t([0, 1, 0, 1, 1]).bool(), worked, _t([float("-inf")] * 5))),
        Case("p-below-top-probability", (worked, 0.3)),
        Case("p0.98-drops-only-the-tail", (tail, 0.98)),
        Case("p1-keeps-everything", (_grid_rows(gen, 2, 9, 1.0, 1 / 16, span=31), 1.0)),
        Case("batch-rows-of-every-size", (_grid_rows(gen, 6, 20, 0.7, 1 / 8), 0.7)),
        Case("3d-batch", (_grid_rows(gen, 6, 15, 0.55, 1 / 16).reshape(2, 3, 15), 0.55)),
        Case("logits-near-1e3", (_grid_rows(gen, 3, 16, 0.8, 1 / 4, offset=1000.0), 0.8)),
        Case("minus-inf-already-present", (with_minus_inf, 0.9)),
        Case("vocab-of-one", (_t([[2.5], [-1.0]]), 0.5)),
        Case("peaked-small-p", (_grid_rows(gen, 4, 30, 0.2, 1 / 4), 0.2)),
    ]


def random_cases(gen, count):
    """`count` random cases: 1-3 dims, V from 2 to 64, p from 0.05 to 0.99, grid logits."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        batch = [size(1, 4) for _ in range(size(0, 2))]
        vocab = size(2, 64)
        p = round(0.05 + 0.94 * float(torch.rand((), generator=gen, dtype=torch.float64)), 4)
        step = GRID_STEPS[size(0, len(GRID_STEPS) - 1)]
        rows = _grid_rows(gen, math.prod(batch), vocab, p, step)
        cases.append(Case(f"random-{i}", (rows.reshape(*batch, vocab), p)))
    return cases


def properties(case, output, reference):
    """The kept set is the nucleus by definition (checked from the input's float64 softmax):
    it holds the most likely tokens, its probability reaches p, and it would not without its
    least likely member."""
    got = output
    logits, p = case.args
    probs = torch.softmax(logits.double(), dim=-1).reshape(-1, logits.shape[-1])
    kept = torch.isfinite(got.double()).reshape(-1, logits.shape[-1]) & (probs > 0)
    problems = []
    for row, (prob, keep) in enumerate(zip(probs, kept, strict=True)):
        mass = float(prob[keep].sum())
        smallest_kept = float(prob[keep].min()) if keep.any() else 0.0
        largest_removed = float(prob[~keep].max()) if (~keep).any() else 0.0
        if not keep.any() or mass < p - 1e-9 or mass - smallest_kept >= p or largest_removed > smallest_kept:
            problems.append(_say("nucleus", row=row, mass=f"{mass:.6f}", p=p))
            break
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, rows, V):
    """rows of a V-token vocabulary, p = 0.9."""
    return Case(f"rows={rows}", (torch.randn(rows, V, generator=gen) * 3, 0.9))


def flops(case):
    """About 8 FLOPs per logit (softmax 5, cumulative sum, subtract, compare); the sort's
    O(V log V) comparisons are not floating-point arithmetic and are left out."""
    return 8 * case.args[0].numel()


def bytes_moved(case):
    """One read of the logits and one write of the output."""
    return 2 * case.args[0].numel() * case.args[0].element_size()


# No built-in: PyTorch has no top-p built-in


BENCH = Bench(dims={"rows": [1, 8, 32]}, fixed={"V": 50257}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved)
