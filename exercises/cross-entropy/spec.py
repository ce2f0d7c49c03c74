"""Cases for cross-entropy: the corrected worked examples, ignored rows, logits up to ±1e4, random."""

import math

import torch

from llmprep.exercise_api import Case


def _magnitude_scale(logits):
    # float32 rounds logits near 1e4 to within ~5e-4 and log-sum-exp minus the target logit
    # cancels there: let the tolerance grow with the largest logit (1 up to |x| = 50, 200 at 1e4).
    return max(1.0, float(logits.abs().max()) / 50.0)


def _targets(values):
    return torch.tensor(values, dtype=torch.int64)


def _builtin_loss(logits, targets, ignore_index=-100):
    return torch.nn.functional.cross_entropy(logits, targets, ignore_index=ignore_index)


def fixed_cases():
    """The corrected examples of TOPICS.md, ignored rows, a custom ignore_index, huge logits."""
    gen = torch.Generator().manual_seed(2231)
    mixed = torch.randn(6, 5, generator=gen, dtype=torch.float64) * 3
    mixed_targets = _targets([4, -100, 0, 2, -100, 1])
    pad_targets = _targets([0, 3, 0, 1, 2, 0, 4])  # class 0 plays the padding token
    pad_logits = torch.randn(7, 5, generator=gen, dtype=torch.float64)
    huge = torch.tensor([[1e4, 1e4 - 1.0, -1e4, 0.0],
                         [-1e4, 5e3, 1e4, 1e4 - 3.0],
                         [2e3, -2e3, 0.0, 1.0]], dtype=torch.float64)
    tiny = torch.tensor([[-1e4, -1e4 + 2.0, -1e4 + 1.0],
                         [-9e3, -9e3 - 0.5, -9e3 + 0.5]], dtype=torch.float64)
    return [
        # 002 461 claims -log 0.8 = -0.3219: it is +0.2231 nats (0.3219 is -log2 0.8, and has the wrong sign).
        Case("002-minus-log-0.8", (torch.tensor([[0.8, 0.1, 0.1]], dtype=torch.float64).log(), _targets([0])),
             expected=torch.tensor(-math.log(0.8), dtype=torch.float64)),
        # Uniform logits over V classes give ln V: ln 10000 = 9.2103, so 001 472's loss of 4.4453 at epoch 1 is impossible.
        Case("uniform-logits-ln-10000", (torch.zeros(2, 10000, dtype=torch.float64), _targets([3, 9999])),
             expected=torch.tensor(math.log(10000), dtype=torch.float64)),
        Case("matches-F.cross_entropy", (mixed, mixed_targets),
             expected=_builtin_loss(mixed, mixed_targets)),
        Case("ignore-index-0-as-padding", (pad_logits, pad_targets), {"ignore_index": 0},
             expected=_builtin_loss(pad_logits, pad_targets, ignore_index=0)),
        Case("one-row", (torch.tensor([[2.0, -1.0, 0.5]], dtype=torch.float64), _targets([1]))),
        Case("two-classes", (torch.tensor([[3.0, -3.0], [0.0, 0.0], [-1.0, 4.0]], dtype=torch.float64),
                             _targets([1, 0, 1]))),
        Case("logits-up-to-1e4", (huge, _targets([0, 2, 1])), tolerance_scale=_magnitude_scale(huge)),
        Case("logits-near-minus-1e4", (tiny, _targets([1, 2])), tolerance_scale=_magnitude_scale(tiny)),
    ]


def random_cases(gen, count):
    """`count` random batches: 1-10 rows, 2-9 classes, logits up to 1, 10, 300 or 1e4, some rows ignored."""
    cases = []

    def integer(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        rows, classes = integer(1, 10), integer(2, 9)
        magnitude = [1.0, 10.0, 300.0, 1e4][i % 4]
        logits = (torch.rand(rows, classes, generator=gen, dtype=torch.float64) * 2 - 1) * magnitude
        targets = torch.randint(0, classes, (rows,), generator=gen)
        kwargs = {}
        if i % 3 == 1:  # a class id as ignore_index (a padding token)
            kwargs["ignore_index"] = integer(0, classes - 1)
        ignore_index = kwargs.get("ignore_index", -100)
        dropped = torch.rand(rows, generator=gen) < 0.3
        targets[dropped] = ignore_index
        if bool((targets == ignore_index).all()):  # an all-ignored batch is 0/0: never generated
            targets[0] = (ignore_index + 1) % classes if ignore_index >= 0 else 0
        cases.append(Case(f"random-{i}", (logits, targets), kwargs, tolerance_scale=_magnitude_scale(logits)))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, V):
    """N tokens over a V-word vocabulary, float32."""
    return Case(f"N={N}", (torch.randn(N, V, generator=gen), torch.randint(0, V, (N,), generator=gen)))


def flops(case):
    """About 4 FLOPs per logit: max, subtract, exp, sum (the log, gather and mean are per row)."""
    return 4 * case.args[0].numel()


def bytes_moved(case):
    """One read of the logits and the targets; the output is a scalar."""
    logits, targets = case.args[:2]
    return logits.numel() * logits.element_size() + targets.numel() * targets.element_size()


def builtin(logits, targets, ignore_index=-100):
    """The PyTorch built-in to compare with."""
    return torch.nn.functional.cross_entropy(logits, targets, ignore_index=ignore_index)


BENCH = Bench(dims={"N": [1024, 4096, 8192]}, fixed={"V": 32000}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, builtin=builtin, quick={"N": 64})
