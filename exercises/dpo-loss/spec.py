"""Cases for the DPO loss: the worked example, a prompt prefix and right padding in the masks,
chosen and rejected of different lengths, a huge margin (log σ must not overflow), β from 0.01
to 1, batch 1, and random ones. The harness returns the loss, both rewards and the loss's
gradients with respect to the policy's per-token log-probabilities."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _mask(gen, batch, length):
    """Prompt tokens, then at least one response token, then padding: True on the response only."""
    mask = torch.zeros(batch, length, dtype=torch.bool)
    for row in range(batch):
        start = int(torch.randint(0, length, (1,), generator=gen))
        end = int(torch.randint(start + 1, length + 1, (1,), generator=gen))
        mask[row, start:end] = True
    return mask


def _logps(gen, batch, length, spread=3.0):
    return -torch.rand(batch, length, generator=gen, dtype=torch.float64) * spread


def _case(name, gen, batch, chosen_len, rejected_len, beta, spread=3.0):
    args = (_logps(gen, batch, chosen_len, spread), _logps(gen, batch, rejected_len, spread),
            _logps(gen, batch, chosen_len, spread), _logps(gen, batch, rejected_len, spread),
            _mask(gen, batch, chosen_len), _mask(gen, batch, rejected_len))
    return Case(name, args, {"beta": beta})


def fixed_cases():
    gen = torch.Generator().manual_seed(2305)
    worked = (_t([[-9.0, -1.0, -2.0]]), _t([[-9.0, -3.0, -2.0, -0.5]]),
              _t([[-9.0, -2.0, -2.0]]), _t([[-9.0, -2.0, -2.0, -0.7]]),
              torch.tensor([[False, True, True]]), torch.tensor([[False, True, True, False]]))
    # Margins in the hundreds of both signs, as the README promises: log σ(−183) underflows unless stable.
    low = torch.full((3, 3), -1.0, dtype=torch.float64)
    huge = Case("huge-margin", (_t([[-90.0, -95.0, -1.0], [-1.0, -1.0, -1.0], [-3.0, -2.0, -1.0]]),
                                _t([[-1.0, -1.0, -1.0], [-99.0, -98.0, -97.0], [-1.0, -2.0, -2.5]]), low, low,
                                torch.ones(3, 3, dtype=torch.bool), torch.tensor([[True] * 3] * 2 + [[False, True, True]])),
                {"beta": 1.0}, note="margins -183, +291 and -0.5")
    return [
        # (The output is a dict, so no `expected`: README shows the arithmetic.) log π: chosen -3 vs ref -4, rejected -5 vs ref -4 -> rewards 0.1 and -0.1, loss -log σ(0.2).
        Case("worked-example", worked, {"beta": 0.1}, note="loss 0.5981, rewards 0.1 and -0.1"),
        _case("batch-1", gen, 1, 5, 7, 0.1),
        _case("chosen-longer-than-rejected", gen, 4, 9, 3, 0.1),
        _case("beta-0.01", gen, 3, 6, 6, 0.01),
        _case("beta-1", gen, 3, 5, 8, 1.0),
        huge,
    ]


def random_cases(gen, count):
    """`count` random batches: 1-4 pairs, lengths 2-10, β from 0.05 to 0.5."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        beta = round(0.05 + 0.45 * float(torch.rand((), generator=gen, dtype=torch.float64)), 3)
        cases.append(_case(f"random-{i}", gen, size(1, 4), size(2, 10), size(2, 10), beta))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, B):
    """A batch of B pairs of sequences of T tokens (forward and backward through the loss)."""
    return _case(f"T={T}", gen, B, T, T, 0.1)


def flops(case):
    """About 3 FLOPs per token of each of the four log-prob tensors (mask, sum, difference)."""
    return 3 * sum(a.numel() for a in case.args[:4])


def bytes_moved(case):
    """Reading the four log-prob tensors and the two masks."""
    return sum(a.numel() * a.element_size() for a in case.args)


# No built-in: PyTorch has no DPO loss


BENCH = Bench(dims={"T": [512, 2048, 8192]}, fixed={"B": 64}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved, quick={"T": 128, "B": 16})
