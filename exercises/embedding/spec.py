"""Cases for the embedding lookup: 001's table, F.embedding on the same inputs, repeated ids
(gradients add up in one row), a square table (where E·x type-checks), ids of every rank."""

import math

import torch

from llmprep.exercise_api import Case


def _ids(gen, V, *shape):
    return torch.randint(0, V, shape, generator=gen)


def fixed_cases():
    """001's worked example, the built-in, and edge cases."""
    gen = torch.Generator().manual_seed(2003)

    def table(V, D):
        return torch.randn(V, D, generator=gen, dtype=torch.float64)

    # 001 205-219: dog, cat, fish, bird, tree as the rows of a 5×3 table.
    table001 = torch.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1]], dtype=torch.float64)
    ids_builtin, weight_builtin = _ids(gen, 11, 3, 4), table(11, 6)
    weight_scaled = table(7, 16)
    ids_scaled = _ids(gen, 7, 2, 5)
    return [
        Case("001-dog-cat-bird", (torch.tensor([0, 1, 3]), table001),
             expected=torch.tensor([[1.0, 0, 0], [0, 1, 0], [1, 1, 0]], dtype=torch.float64)),
        Case("same-as-F.embedding", (ids_builtin, weight_builtin),
             expected=torch.nn.functional.embedding(ids_builtin, weight_builtin)),
        Case("scaled-d16", (ids_scaled, weight_scaled), {"scale": True},
             expected=torch.nn.functional.embedding(ids_scaled, weight_scaled) * 4.0),
        # The same ids many times: their gradients must add up in one row of weight.
        Case("repeated-ids", (torch.tensor([[3, 3, 1, 3], [1, 3, 3, 0]]), table(5, 4))),
        # V = d_model: the documents' E·x type-checks here, and picks columns.
        Case("square-table", (torch.tensor([[0, 2, 5], [4, 4, 1]]), table(6, 6))),
        Case("square-table-scaled", (torch.tensor([1, 3, 0, 2]), table(4, 4)), {"scale": True}),
        Case("scalar-id", (torch.tensor(2), table(5, 3))),
        Case("ids-B2-T3-K4", (_ids(gen, 9, 2, 3, 4), table(9, 5)), {"scale": True}),
        Case("vocab-1", (torch.zeros(3, dtype=torch.long), table(1, 4))),
    ]


def random_cases(gen, count):
    """`count` random lookups: vocabularies of 1-20, d_model 1-12, ids of rank 0-3 (repeats are
    common), scale on every other case."""
    cases = []

    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        V, D = size(1, 20), size(1, 12)
        shape = [size(1, 5) for _ in range(size(0, 3))]
        weight = torch.randn(V, D, generator=gen, dtype=torch.float64) * 2
        kwargs = {"scale": True} if i % 2 else {}
        cases.append(Case(f"random-{i}", (_ids(gen, V, *shape), weight), kwargs))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B, V, D):
    """B sequences of T token ids into a V × D table, scaled."""
    return Case(f"T={T}", (_ids(gen, V, B, T), torch.randn(V, D, generator=gen)), {"scale": True})


def flops(case):
    """One multiplication per output element for the √d_model scale (the lookup itself moves data only)."""
    ids, weight = case.args
    return ids.numel() * weight.shape[1] if case.kwargs.get("scale") else 0


def bytes_moved(case):
    """Reading the ids and the rows they name, writing the output."""
    ids, weight = case.args
    return ids.numel() * ids.element_size() + 2 * ids.numel() * weight.shape[1] * weight.element_size()


def builtin(ids, weight, scale=False):
    """F.embedding, scaled the same way."""
    out = torch.nn.functional.embedding(ids, weight)
    return out * math.sqrt(weight.shape[1]) if scale else out


BENCH = Bench(dims={"T": [128, 512, 2048]}, fixed={"B": 8, "V": 32000, "D": 1024}, make=_bench_case,
              flops=flops, bytes_moved=bytes_moved, builtin=builtin, quick={"V": 4096})
