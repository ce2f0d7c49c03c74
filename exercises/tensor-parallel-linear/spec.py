"""Cases for the tensor-parallel MLP on 2 real ranks (harness.py): one row, a batch, d_ff of 2
(one hidden unit per rank), wide and narrow layers, large inputs, and random ones. Besides
matching the reference, every rank's y and gradients must equal the single-process MLP's
(properties): y and dL/dx in full, and each shard's gradient the matching slice of the full one."""

import math

import torch

from llmprep.exercise_api import Case

# What properties() reports, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "differs": ("rank {rank}: {name} differs from the single-process MLP's by {worst} (relative; allowed {allowed})",
                "进程 rank {rank}：{name} 与单进程 MLP 的结果相差 {worst}（相对误差；允许 {allowed}）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)

WORLD_SIZE = 2


def _case(name, gen, n, d, d_ff, spread=1.0):
    def randn(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64)

    weights = {"w1": randn(d_ff, d) / d ** 0.5, "b1": randn(d_ff) * 0.1,
               "w2": randn(d, d_ff) / d_ff ** 0.5, "b2": randn(d) * 0.1, "cotangent": randn(n, d)}
    return Case(name, (randn(n, d) * spread,), weights, note=f"{WORLD_SIZE} ranks, d_ff {d_ff // WORLD_SIZE} each")


def fixed_cases():
    gen = torch.Generator().manual_seed(1909)
    return [
        _case("one-row", gen, 1, 4, 8),
        _case("batch-6", gen, 6, 5, 12),
        _case("one-hidden-unit-per-rank", gen, 3, 3, 2),
        _case("wide-hidden", gen, 4, 3, 32),
        _case("narrow-model-d1", gen, 5, 1, 4),
        _case("large-inputs", gen, 4, 4, 8, spread=5.0),
    ]


def random_cases(gen, count):
    """`count` random MLPs: 1-8 rows, d 1-8, d_ff an even number from 2 to 16."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    return [_case(f"random-{i}", gen, size(1, 8), size(1, 8), WORLD_SIZE * size(1, 8)) for i in range(count)]


def single_process(case):
    """y and the gradients of the full MLP in one process, float64, by hand: no autograd here, because
    a process that has run a backward pass cannot fork ranks that run one on a machine with a GPU
    (PyTorch's autograd engine refuses after fork), and the reference's ranks are forked from this one."""
    x, c = case.args[0].double(), case.kwargs["cotangent"].double()
    w1, b1, w2, b2 = (case.kwargs[k].double() for k in ("w1", "b1", "w2", "b2"))
    z = x @ w1.T + b1                                                  # (N, d_ff)
    cdf = 0.5 * (1 + torch.erf(z / math.sqrt(2)))
    h = z * cdf                                                        # exact GELU
    y = h @ w2.T + b2
    dz = (c @ w2) * (cdf + z * torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi))  # GELU' = Φ(z) + z φ(z)
    grads = {"w1": dz.T @ x, "b1": dz.sum(0), "w2": c.T @ h, "b2": c.sum(0)}
    return y, dz @ w1, grads


def properties(case, output, reference):
    """Every rank's y, dL/dx and shard gradients equal the single-process MLP's (a float32-sized bound)."""
    y, x_grad, grads = single_process(case)
    problems = []
    for rank in range(WORLD_SIZE):
        got = output[f"rank{rank}"]
        expected = {"y": y, "grad x": x_grad,
                    "grad w1_shard": grads["w1"].chunk(WORLD_SIZE, 0)[rank],
                    "grad b1_shard": grads["b1"].chunk(WORLD_SIZE)[rank],
                    "grad w2_shard": grads["w2"].chunk(WORLD_SIZE, 1)[rank], "grad b2": grads["b2"]}
        for name, value in expected.items():
            tolerance = {torch.float64: 1e-9, torch.float32: 1e-4}.get(got[name].dtype, 5e-2)
            worst = float((got[name].double() - value).abs().max()) / (1 + float(value.abs().max()))
            if worst > tolerance:
                problems.append(_say("differs", rank=rank, name=name, worst=f"{worst:.3g}",
                                     allowed=f"{tolerance:g}"))
    return problems


# No bench: the step is dominated by process start-up and gloo latency on one machine, not arithmetic.
