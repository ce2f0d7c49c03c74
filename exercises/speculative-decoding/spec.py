"""Cases for one step of speculative sampling, judged statistically.

Every case holds R situations (target distributions p_0..p_K, draft distributions q_0..q_{K-1});
the harness repeats each SAMPLES times with fresh draft tokens and returns the frequencies of the
first emitted token, of the second (among rows that emit two or more) and of the number of tokens
emitted. Two checks, both deterministic for a given seed:

- against the reference's own frequencies (two-sample): every frequency within 0.05 (the
  tolerance below). With SAMPLES = 10000 and every situation accepting its first draft with
  probability >= 0.5, the difference of two frequencies has a standard deviation <= 0.01, so
  0.05 is >= 5 standard deviations: a correct sampler fails it with probability < 1e-6 per
  frequency. Reproducibility (same generator seed, different global seeds) must match exactly.
- against the exact distributions (`properties`): the first token follows p_0, the second p_1,
  and the length the closed form P(len = m) = α_0…α_{m-2}(1 − α_{m-1}) (α_i = Σ min(p_i, q_i),
  P(len = K+1) = α_0…α_{K-1}); a chi-square test per statistic is rejected only below p = 1e-6;
  a token of probability 0 is never emitted.
"""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "impossible": ("{label}: value {token} appeared, but its exact probability is 0",
                   "{label}：出现了值 {token}，但它的精确概率是 0"),
    "chi-square": ("{label} does not follow the target's distribution (chi-square {chi} on {dof} degrees of freedom, "
                   "p = {p} < {threshold})",
                   "{label}不服从目标分布（卡方 {chi}，自由度 {dof}，p = {p} < {threshold}）"),
    "first": ("situation {r}: the first emitted token", "情形 {r}：输出的第一个 token"),
    "second": ("situation {r}: the second emitted token", "情形 {r}：输出的第二个 token"),
    "length": ("situation {r}: the number of tokens emitted", "情形 {r}：输出的 token 数"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

SAMPLES = 10000
CHI_SQUARE_P_VALUE = 1e-6


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _distribution(gen, V, zeros=0):
    """Softmax of spread logits mixed with the uniform distribution (every token >= 0.02), then
    `zeros` tokens set to probability 0."""
    probs = 0.8 * torch.softmax(torch.randn(V, generator=gen, dtype=torch.float64) * 1.5, -1) + 0.2 / V
    if zeros:
        probs[torch.randperm(V, generator=gen)[:zeros]] = 0.0
    return probs / probs.sum()


def _situations(gen, R, K, V, *, same=False, draft_zeros=0, target_zeros=0):
    """R situations whose first draft is accepted with probability in [0.5, 0.8] (unless `same`)."""
    targets, drafts = [], []
    while len(targets) < R:
        p = torch.stack([_distribution(gen, V, target_zeros) for _ in range(K + 1)])
        q = p[:K].clone() if same else torch.stack([_distribution(gen, V, draft_zeros) for _ in range(K)])
        alpha = torch.minimum(p[:K], q).sum(-1)
        if same or (bool((alpha >= 0.5).all()) and bool((alpha <= 0.8).all())):
            targets.append(p)
            drafts.append(q)
    return torch.stack(targets), torch.stack(drafts)


def _case(name, target, draft):
    return Case(name, (target, draft), {"samples": SAMPLES})


def fixed_cases():
    gen = torch.Generator().manual_seed(2211)
    worked_p = _t([[[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]])
    worked_q = _t([[[0.2, 0.6, 0.2]]])
    return [
        _case("worked-example", worked_p, worked_q),
        _case("draft-equals-target", *_situations(gen, 1, 3, 5, same=True)),
        _case("draft-never-proposes-some-tokens", *_situations(gen, 1, 2, 6, draft_zeros=2)),
        _case("target-forbids-some-tokens", *_situations(gen, 1, 2, 6, target_zeros=2)),
        _case("four-drafts", *_situations(gen, 1, 4, 6)),
        _case("two-situations", *_situations(gen, 2, 2, 4)),
        _case("one-draft-two-tokens", *_situations(gen, 1, 1, 2)),
    ]


def random_cases(gen, count):
    """`count` random cases: 1-2 situations, K from 1 to 4 drafts, V from 2 to 8."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    return [_case(f"random-{i}", *_situations(gen, size(1, 2), size(1, 4), size(2, 8))) for i in range(count)]


def exact_statistics(target, draft):
    """The distributions of the first token, the second and the length (float64)."""
    K = draft.shape[1]
    alpha = torch.minimum(target[:, :K], draft).sum(-1)                  # (R, K)
    reach = torch.cat([torch.ones_like(alpha[:, :1]), alpha.cumprod(-1)], dim=-1)  # P(first m accepted), m = 0..K
    length = reach[:, :K] * (1 - alpha)                                  # lengths 1..K
    length = torch.cat([length, reach[:, K:]], dim=-1)                   # length K+1
    return {"first": target[:, 0], "second": target[:, 1], "length": length}


def _chi_square(observed, expected_probs, samples, label):
    support = expected_probs > 1e-12
    if bool((observed[~support] > 0).any()):
        token = int((observed * ~support).argmax())
        return [_say("impossible", label=label, token=token)]
    dof = int(support.sum()) - 1
    if dof < 1 or samples < 1:
        return []
    expected = samples * expected_probs[support]
    chi = float(((observed[support] * samples - expected) ** 2 / expected).sum())
    p_value = float(torch.special.gammaincc(torch.tensor(dof / 2, dtype=torch.float64),
                                            torch.tensor(chi / 2, dtype=torch.float64)))
    if p_value < CHI_SQUARE_P_VALUE:
        return [_say("chi-square", label=label, chi=f"{chi:.1f}", dof=dof, p=f"{p_value:.2g}",
                     threshold=f"{CHI_SQUARE_P_VALUE:g}")]
    return []


def properties(case, output, reference):
    """Chi-square tests of the first token, the second token and the length against the closed forms."""
    target, draft = case.args
    exact = exact_statistics(target.double(), draft.double())
    problems = []
    for r in range(target.shape[0]):
        two_or_more = round(float(1 - exact["length"][r, 0]) * SAMPLES)
        problems += _chi_square(output["first"][r].double(), exact["first"][r], SAMPLES,
                                _say("first", r=r))
        problems += _chi_square(output["second"][r].double(), exact["second"][r], two_or_more,
                                _say("second", r=r))
        problems += _chi_square(output["length"][r].double(), exact["length"][r], SAMPLES,
                                _say("length", r=r))
    return problems


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, B, K, V):
    """One verification step for a batch of B sequences (one situation repeated B times), K drafts
    over V tokens, through the harness (which also makes a 64-row reproducibility call)."""
    target = torch.softmax(torch.randn(1, K + 1, V, generator=gen), -1)
    draft = torch.softmax(torch.randn(1, K, V, generator=gen), -1)
    return Case(f"B={B}", (target, draft), {"samples": B})


def flops(case):
    """About 4 FLOPs per draft probability of the batch (the residual max(0, p - q), its normalization)."""
    return 4 * case.args[1].numel() * case.kwargs["samples"]


def bytes_moved(case):
    """Reading both probability tensors of the batch."""
    return (case.args[0].numel() + case.args[1].numel()) * case.args[0].element_size() * case.kwargs["samples"]


# No built-in: PyTorch has no speculative sampler


BENCH = Bench(dims={"B": [16, 64, 256]}, fixed={"K": 4, "V": 32000}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"V": 4096})
