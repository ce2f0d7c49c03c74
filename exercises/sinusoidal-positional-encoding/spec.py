"""Cases for the sinusoidal positional encoding: the d = 4 values of TOPICS.md, edge sizes, random."""

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "circle": ("PE[p, 2i]² + PE[p, 2i+1]² is not 1: each pair must be (sin, cos) of one angle",
               "PE[p, 2i]² + PE[p, 2i+1]² 不等于 1：每一对必须是同一个角的 (sin, cos)"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def fixed_cases():
    """The corrected ERNIE-guide example (000 648-672) and edge sizes."""
    return [
        Case("d4-worked-example", (3, 4), expected=torch.tensor(
            [[0.0, 1.0, 0.0, 1.0],
             [0.84147, 0.54030, 0.01000, 0.99995],
             [0.90930, -0.41615, 0.02000, 0.99980]])),
        Case("one-position", (1, 8)),
        Case("d-model-2", (10, 2)),
        Case("d512-first-16", (16, 512)),
        Case("long-127", (127, 64)),
    ]


def random_cases(gen, count):
    """`count` tables with 1-128 positions and an even d_model of 2-96."""
    cases = []
    for i in range(count):
        max_len = int(torch.randint(1, 129, (1,), generator=gen))
        d_model = 2 * int(torch.randint(1, 49, (1,), generator=gen))
        cases.append(Case(f"random-{i}", (max_len, d_model)))
    return cases


def properties(case, output, reference):
    """Rows lie on circles: PE[p, 2i]² + PE[p, 2i+1]² = 1."""
    got = output
    if not got.is_floating_point():
        return []
    radius = got[:, 0::2].double() ** 2 + got[:, 1::2].double() ** 2
    if not torch.allclose(radius, torch.ones_like(radius), atol=1e-3):
        return [_say("circle")]
    return []


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, L, d):
    """An L × d table."""
    return Case(f"L={L}", (L, d))


def flops(case):
    """About 4 FLOPs per element (a division, a power amortized per column, sin or cos)."""
    max_len, d_model = case.args
    return 4 * max_len * d_model


def bytes_moved(case):
    """Writing the float32 table."""
    max_len, d_model = case.args
    return 4 * max_len * d_model


# No built-in: PyTorch has no built-in sinusoidal table


BENCH = Bench(dims={"L": [2048, 8192, 32768]}, fixed={"d": 1024}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"L": 512, "d": 256})
