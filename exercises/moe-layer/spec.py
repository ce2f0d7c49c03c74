"""Cases for the MoE layer: top-1 (Switch) and top-2 (Mixtral) routing, capacity that drops
assignments (factor 0.5 and 1.0), a capacity that drops nothing, 2-D and 3-D inputs, and random
ones. The router weight comes with each case, and every token's k-th and (k+1)-th router logits
are at least MARGIN apart, so float32 and float64 pick the same experts. The harness draws the
experts' weights from `expert_seed` and checks outputs, the auxiliary loss and all gradients."""

import torch

from llmprep.exercise_api import Case

MARGIN = 0.02


def _case(name, gen, tokens_shape, d_model, d_ff, n_experts, top_k, capacity_factor=None):
    router = torch.randn(n_experts, d_model, generator=gen, dtype=torch.float64) / d_model ** 0.5 * 2
    rows = []
    count = 1
    for n in tokens_shape:
        count *= n
    while len(rows) < count:
        x = torch.randn(d_model, generator=gen, dtype=torch.float64)
        logits = (router @ x).sort(descending=True).values
        if top_k == n_experts or float(logits[top_k - 1] - logits[top_k]) >= MARGIN:
            rows.append(x)
    x = torch.stack(rows).reshape(*tokens_shape, d_model)
    init = {"d_model": d_model, "d_ff": d_ff, "n_experts": n_experts, "top_k": top_k,
            "capacity_factor": capacity_factor}
    seed = int(torch.randint(0, 2**31, (1,), generator=gen))
    return Case(name, (x,), {"router_weight": router, "expert_seed": seed}, init=init)


def fixed_cases():
    gen = torch.Generator().manual_seed(2101)
    return [
        _case("top-2-of-4-mixtral", gen, (2, 5), 6, 8, 4, 2),
        _case("top-1-switch", gen, (9,), 5, 6, 4, 1),
        _case("top-2-capacity-0.5-drops", gen, (12,), 4, 6, 4, 2, capacity_factor=0.5),
        _case("top-1-capacity-1.0", gen, (2, 6), 4, 5, 3, 1, capacity_factor=1.0),
        _case("capacity-4-drops-nothing", gen, (6,), 4, 5, 3, 2, capacity_factor=4.0),
        _case("top-3-of-8", gen, (7,), 6, 4, 8, 3),
        _case("one-token", gen, (1,), 3, 4, 3, 2),
        _case("top-k-equals-experts", gen, (5,), 4, 4, 2, 2),
    ]


def random_cases(gen, count):
    """`count` random layers: 2-16 tokens, d 2-8, 2-6 experts, k from 1 to 3, capacity or not."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        n_experts = size(2, 6)
        top_k = size(1, min(3, n_experts))
        capacity = (0.5, 0.75, 1.0, 1.5)[size(0, 3)] if i % 2 else None
        shape = (size(2, 16),) if i % 3 else (size(1, 3), size(2, 5))
        cases.append(_case(f"random-{i}", gen, shape, size(2, 8), size(2, 8), n_experts, top_k, capacity))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, N, d, ff, E, k):
    """E experts, top-k, N tokens, no capacity limit."""
    return _case(f"N={N}", gen, (N,), d, ff, E, k)


def flops(case):
    """Per token: the router (2·d·E) and k SwiGLU experts (3 matmuls, 2·d·d_ff each); forward only."""
    init = case.init
    tokens = case.args[0].numel() // init["d_model"]
    d, d_ff = init["d_model"], init["d_ff"]
    return tokens * (2 * d * init["n_experts"] + init["top_k"] * 6 * d * d_ff)


def bytes_moved(case):
    """Reading the tokens and every expert's weights once, writing the output."""
    init = case.init
    weights = init["n_experts"] * (3 * init["d_model"] * init["d_ff"] + init["d_model"])
    return (2 * case.args[0].numel() + weights) * case.args[0].element_size()


# No built-in: PyTorch has no MoE layer


BENCH = Bench(dims={"N": [64, 256, 512]}, fixed={"d": 64, "ff": 128, "E": 8, "k": 2}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved)
