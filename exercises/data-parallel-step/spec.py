"""Cases for the data-parallel step: a small tanh classifier and a batch split over 2 ranks.

Each case runs (harness.py) on two real processes joined by torch.distributed: two calls with
SGD and two with AdamW. Besides matching the reference, every rank's parameters must equal a
single-process step on the full batch (properties), so the replicas stay in sync.
"""

import torch
import torch.nn.functional as F

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "params": ("rank {rank}'s parameters after {steps} {kind} steps differ from a single-process full-batch step by "
               "{worst} (allowed {allowed})",
               "进程 rank {rank} 在 {steps} 步 {kind} 之后的参数与单进程全 batch 更新相差 {worst}（允许 {allowed}）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

WORLD_SIZE = 2
STEPS = 2
SGD = {"lr": 0.5}  # the same hyperparameters as harness.py
ADAMW = {"lr": 0.05, "eps": 1e-3, "weight_decay": 0.1}


def _case(name, gen, batch, d_in, hidden, classes, spread=1.0):
    def randn(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64)

    weights = {
        "w1": randn(hidden, d_in) / d_in**0.5, "b1": randn(hidden) * 0.1,
        "w2": randn(classes, hidden) / hidden**0.5, "b2": randn(classes) * 0.1,
    }
    inputs, targets = randn(batch, d_in) * spread, torch.randint(0, classes, (batch,), generator=gen)
    # (model, optimizer, inputs, targets): the harness builds the first two from the weights
    return Case(name, (None, None, inputs, targets), weights,
                note=f"{WORLD_SIZE} ranks, {batch // WORLD_SIZE} rows each")


def fixed_cases():
    """One row per rank, a wider model, two classes, larger inputs."""
    gen = torch.Generator().manual_seed(2)
    return [
        _case("one-row-per-rank", gen, 2, 3, 4, 3),
        _case("batch-8", gen, 8, 5, 6, 4),
        _case("two-classes", gen, 6, 4, 3, 2),
        _case("large-inputs", gen, 4, 3, 5, 3, spread=4.0),
    ]


def random_cases(gen, count):
    """`count` random classifiers: even batches of 2-10 rows, 1-6 inputs, 2-7 hidden units, 2-5 classes."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    return [_case(f"random-{i}", gen, WORLD_SIZE * size(1, 5), size(1, 6), size(2, 7), size(2, 5))
            for i in range(count)]


def full_batch_step(case, kind):
    """The parameters after STEPS single-process steps on the whole batch, in float64."""
    params = [case.kwargs[k].double().clone().requires_grad_(True) for k in ("w1", "b1", "w2", "b2")]
    inputs, targets = case.args[2], case.args[3]
    optimizer = torch.optim.SGD(params, **SGD) if kind == "sgd" else torch.optim.AdamW(params, **ADAMW)
    w1, b1, w2, b2 = params
    for _ in range(STEPS):
        optimizer.zero_grad()
        logits = torch.tanh(inputs.double() @ w1.T + b1) @ w2.T + b2
        F.cross_entropy(logits, targets).backward()
        optimizer.step()
    return [p.detach() for p in params]


def properties(case, output, reference):
    """Every rank ends with the parameters of one full-batch step, within a float32-sized bound."""
    problems = []
    for kind in ("sgd", "adamw"):
        expected = full_batch_step(case, kind)
        runs = output[kind]
        for rank in range(WORLD_SIZE):
            got = runs[f"rank{rank}_params"]
            tolerance = {torch.float64: 1e-9, torch.float32: 1e-4}.get(got[0].dtype, 3e-2)
            worst = max(float((g.double() - e).abs().max()) for g, e in zip(got, expected, strict=True))
            if worst > tolerance:
                problems.append(_say("params", rank=rank, steps=STEPS, kind=kind, worst=f"{worst:.3g}",
                                     allowed=f"{tolerance:g}"))
    return problems


# No built-in to time against: DistributedDataParallel wraps a model instead of computing one step,
# and the step is dominated by process-group latency, not arithmetic (so no BENCH either).
