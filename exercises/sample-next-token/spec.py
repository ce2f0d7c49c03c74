"""Cases for sample_next_token, judged statistically.

Each case holds one or two rows of logits; the harness samples every row SAMPLES times and
returns the frequencies. Two checks, both deterministic for a given seed:

- against the reference's own frequencies (a two-sample check): every frequency within
  0.06 (the float64 tolerance below), at least 5.3 standard deviations of the difference of
  two frequencies from SAMPLES draws, so a correct sampler fails it with probability < 1e-7
  per frequency; tokens drawn at all and reproducibility must match exactly;
- against the exact distribution (`properties`): no token outside the filtered support is ever
  drawn, and a chi-square goodness-of-fit test per row is rejected only below p = 1e-6.

Greedy cases (temperature 0 and 1e-3) are exact: the argmax must be drawn every time.

No case sits on a knife edge: logits of a row are distinct (so top-k has no ties), every
cumulative probability is at least P_MARGIN away from top_p, and every token of the filtered
support has probability >= MIN_PROB, so in SAMPLES draws it appears (fails < 1e-10)."""

import math

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "outside": ("row {row}: drew token {token} {times} times, but temperature, top-k and top-p give it probability 0",
                "第 {row} 行：抽到了 token {token} {times} 次，但 temperature、top-k 和 top-p 给它的概率是 0"),
    "chi-square": ("row {row}: the draws do not follow the filtered distribution (chi-square {chi} on {dof} degrees "
                   "of freedom, p = {p} < {threshold})",
                   "第 {row} 行：抽样不服从过滤后的分布（卡方 {chi}，自由度 {dof}，p = {p} < {threshold}）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

SAMPLES = 4000
MIN_PROB = 6e-3
P_MARGIN = 0.01
CHI_SQUARE_P_VALUE = 1e-6
EXACT = 1e-6  # tolerance_scale of the greedy cases: frequencies must match exactly


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def filtered_distribution(logits, temperature, top_k=None, top_p=None):
    """The exact distribution a correct sampler draws from (float64), written independently of
    the reference: top-k by rank, top-p the Hugging Face way (drop the tail whose total <= 1 - p)."""
    logits = logits.double()
    if temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).double()
    z = logits / temperature
    if top_k is not None and top_k < z.shape[-1]:
        rank = z.argsort(dim=-1, descending=True).argsort(dim=-1)
        z = torch.where(rank < top_k, z, torch.full_like(z, -math.inf))
    if top_p is not None:
        ascending, order = torch.softmax(z, dim=-1).sort(dim=-1)
        tail = ascending.cumsum(dim=-1) <= 1 - top_p
        tail[..., -1] = False
        z = torch.where(torch.zeros_like(tail).scatter(-1, order, tail), torch.full_like(z, -math.inf), z)
    return torch.softmax(z, dim=-1)


def _clear_of_knife_edges(row, temperature, top_k, top_p):
    if temperature == 0:
        return True
    q = filtered_distribution(row, temperature, top_k, top_p)
    if float(q[q > 0].min()) < MIN_PROB:
        return False
    if top_p is not None:
        before_nucleus = filtered_distribution(row, temperature, top_k, None)
        mass_ahead = before_nucleus.sort(descending=True).values.cumsum(-1)[:-1]
        if bool(((mass_ahead - top_p).abs() < P_MARGIN).any()):
            return False
    return True


def _rows(gen, count, vocab, temperature, top_k=None, top_p=None):
    """`count` rows of distinct logits on a 1/16 grid, spread about ±1.25 after the temperature,
    each redrawn until it is clear of every knife edge."""
    span = max(vocab, round(20 * (temperature if temperature > 0.05 else 2.0)))
    out = []
    for _ in range(count):
        for _attempt in range(10_000):
            row = (torch.randperm(2 * span + 1, generator=gen)[:vocab].double() - span) / 16
            if _clear_of_knife_edges(row, temperature, top_k, top_p):
                break
        else:
            raise RuntimeError(f"no clear row for V={vocab}, T={temperature}, top_k={top_k}, top_p={top_p}")  # data: a spec bug
        out.append(row)
    return torch.stack(out)


def _case(name, logits, temperature=1.0, top_k=None, top_p=None):
    kwargs = {"temperature": temperature}
    if top_k is not None:
        kwargs["top_k"] = top_k
    if top_p is not None:
        kwargs["top_p"] = top_p
    kwargs["samples"] = SAMPLES
    greedy = temperature < 0.01
    return Case(name, (logits,), kwargs, tolerance_scale=EXACT if greedy else 1.0)


def fixed_cases():
    """Named cases: each option alone, in pairs, all three, and the greedy limits."""
    gen = torch.Generator().manual_seed(1905)
    ladder = _t([[1.25, 2.0, 0.5, 1.75, 0.25, 1.5, 0.75, 1.0]])  # distinct, steps of 1/4
    # At T = 0.5 the nucleus of p = 0.75 is 2 tokens; before the temperature it would be 3.
    sharpened = _t([[0.5, 2.0, -0.5, 1.0, 1.5, 0.0]])
    near_tie = _t([[0.5, 0.0, 3.0, 2.9375, -1.0, 1.0], [0.0, 0.0625, -0.5, 0.03125, -2.0, -0.25]])
    return [
        _case("temperature-0.5", _rows(gen, 1, 8, 0.5), temperature=0.5),
        _case("temperature-2", _rows(gen, 1, 10, 2.0), temperature=2.0),
        _case("top-k-3", _rows(gen, 1, 9, 1.0, top_k=3), top_k=3),
        _case("top-k-4-temperature-0.7", _rows(gen, 1, 8, 0.7, top_k=4), temperature=0.7, top_k=4),
        _case("top-p-0.8-temperature-1.6", _rows(gen, 1, 10, 1.6, top_p=0.8), temperature=1.6, top_p=0.8),
        _case("top-p-0.75-temperature-0.5", sharpened, temperature=0.5, top_p=0.75),
        _case("top-k-3-then-top-p-0.7", ladder, top_k=3, top_p=0.7),
        _case("top-k-6-top-p-0.6-temperature-0.8", _rows(gen, 2, 12, 0.8, top_k=6, top_p=0.6),
              temperature=0.8, top_k=6, top_p=0.6),
        _case("top-k-larger-than-vocab", _rows(gen, 1, 6, 1.0), top_k=50),
        _case("top-p-1-keeps-all", _rows(gen, 1, 7, 1.0), top_p=1.0),
        _case("greedy-temperature-0", near_tie, temperature=0.0, top_k=3, top_p=0.5),
        _case("temperature-1e-3-is-greedy", near_tie, temperature=1e-3),
    ]


def random_cases(gen, count):
    """`count` random cases: 1 or 2 rows, V from 2 to 12, a temperature from 0.5 to 2, and
    top-k, top-p, both or neither in turn."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        vocab = size(2, 12)
        temperature = round(0.5 + 1.5 * float(torch.rand((), generator=gen, dtype=torch.float64)), 3)
        option = ("top-k", "top-p", "both", "neither")[i % 4]
        top_k = size(1, vocab) if option in ("top-k", "both") else None
        top_p = round(0.3 + 0.65 * float(torch.rand((), generator=gen, dtype=torch.float64)), 3) \
            if option in ("top-p", "both") else None
        logits = _rows(gen, 1 if i % 3 else 2, vocab, temperature, top_k, top_p)
        cases.append(_case(f"random-{i}-{option}", logits, temperature, top_k, top_p))
    return cases


def properties(case, output, reference):
    """No draw outside the filtered support; a chi-square test per row, rejected below p = 1e-6."""
    frequencies = output["frequencies"]
    options = {k: v for k, v in case.kwargs.items() if k != "samples"}
    exact = filtered_distribution(case.args[0], **options)
    samples = case.kwargs["samples"]
    counts = (frequencies.double() * samples).round()
    problems = []
    for row, (observed, q) in enumerate(zip(counts, exact, strict=True)):
        outside = (observed > 0) & (q == 0)
        if outside.any():
            token = int(outside.nonzero()[0])
            problems.append(_say("outside", row=row, token=token, times=int(observed[token])))
            continue
        support = q > 0
        dof = int(support.sum()) - 1
        if dof < 1:
            continue
        expected = samples * q[support]
        chi_square = float(((observed[support] - expected) ** 2 / expected).sum())
        p_value = float(torch.special.gammaincc(torch.tensor(dof / 2, dtype=torch.float64),
                                                torch.tensor(chi_square / 2, dtype=torch.float64)))
        if p_value < CHI_SQUARE_P_VALUE:
            problems.append(_say("chi-square", row=row, chi=f"{chi_square:.1f}", dof=dof, p=f"{p_value:.2g}",
                                 threshold=f"{CHI_SQUARE_P_VALUE:g}"))
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, rows, V):
    """One decoding step: rows over a real vocabulary, temperature 0.8, top-k 50, top-p 0.9, called
    directly (harness=False below: the harness's thousands of checking draws are not one step)."""
    options = {"temperature": 0.8, "top_k": 50, "top_p": 0.9}
    return Case(f"rows={rows}", (torch.randn(rows, V, generator=gen) * 3, torch.Generator().manual_seed(0)), options)


def flops(case):
    """About 12 FLOPs per logit: the temperature, two softmaxes, the cumulative sum and the
    comparisons (sorting and top-k selection are comparisons, not arithmetic)."""
    return 12 * case.args[0].numel()


def bytes_moved(case):
    """One read of the logits; the output is one id per row."""
    logits = case.args[0]
    return logits.numel() * logits.element_size() + logits.shape[0] * 8


# No built-in: PyTorch has no fused sampler (torch.multinomial is the last step of this exercise)


BENCH = Bench(dims={"rows": [1, 16, 64]}, fixed={"V": 50257}, make=_bench_case, flops=flops, harness=False,
              bytes_moved=bytes_moved)
