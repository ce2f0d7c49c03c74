"""Cases for the GRPO loss: the worked example, binary and continuous rewards, a group whose
rewards are all equal (its advantages are 0), one prompt, groups of 2, β = 0 (no KL), different
completion lengths (right padding), ratios on both sides of the clip range, and random ones. The
harness returns the loss and its gradient with respect to logps."""

import torch

from llmprep.exercise_api import Case


def _t(rows):
    return torch.tensor(rows, dtype=torch.float64)


def _case(name, gen, prompts, group_size, length, *, binary=False, equal_group=False, **options):
    B = prompts * group_size

    def uniform(low, high, *shape):
        return low + (high - low) * torch.rand(*shape, generator=gen, dtype=torch.float64)

    logps = uniform(-3.0, -0.1, B, length)
    old_logps = logps + uniform(-0.4, 0.4, B, length)      # ratios from 0.67 to 1.5: both sides of the clip
    ref_logps = logps + uniform(-0.6, 0.6, B, length)
    rewards = (torch.rand(B, generator=gen) < 0.5).double() if binary else uniform(-1.0, 2.0, B)
    if binary:  # no group may be all-equal by chance: flip one reward per group when it is
        groups = rewards.view(prompts, group_size)
        same = groups.std(1) == 0
        groups[same, 0] = 1 - groups[same, 0]
    if equal_group:
        rewards[:group_size] = 1.0
    lengths = torch.randint(1, length + 1, (B,), generator=gen)
    mask = torch.arange(length)[None, :] < lengths[:, None]   # completion tokens, then padding
    return Case(name, (logps, old_logps, ref_logps, rewards, mask, group_size), options)


def fixed_cases():
    gen = torch.Generator().manual_seed(2402)
    worked = (_t([[-1.0], [-1.0]]), _t([[-1.2], [-0.8]]), _t([[-1.5], [-1.0]]), _t([1.0, 0.0]),
              torch.tensor([[True], [True]]), 2)
    return [
        # (A dict output, so no `expected`: the README shows the arithmetic; loss -0.1327.)
        Case("worked-example", worked, note="loss -0.1327"),
        _case("binary-rewards", gen, 3, 4, 6, binary=True),
        _case("group-with-equal-rewards", gen, 2, 4, 5, equal_group=True),
        _case("one-prompt", gen, 1, 6, 5),
        _case("groups-of-2", gen, 4, 2, 4),
        _case("beta-0-no-kl", gen, 2, 3, 6, beta=0.0),
        _case("clip-0.1-beta-0.1", gen, 2, 4, 7, clip_eps=0.1, beta=0.1),
        _case("one-token-completions", gen, 2, 3, 1),
    ]


def random_cases(gen, count):
    """`count` random batches: 1-3 prompts, groups of 2-5, up to 8 tokens, default or random ε and β."""
    def size(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    cases = []
    for i in range(count):
        options = {}
        if i % 2:
            options = {"clip_eps": round(0.1 + 0.2 * float(torch.rand((), generator=gen)), 3),
                       "beta": round(0.2 * float(torch.rand((), generator=gen)), 3)}
        cases.append(_case(f"random-{i}", gen, size(1, 3), size(2, 5), size(1, 8), binary=i % 3 == 0, **options))
    return cases


# ---- bench metadata (llmprep bench)

from llmprep.exercise_api import Bench  # noqa: E402


def _bench_case(gen, T, P, G):
    """P prompts × G completions of T tokens, forward and backward through the loss."""
    return _case(f"T={T}", gen, P, G, T)


def flops(case):
    """About 15 FLOPs per token (two exps, the ratio, clip, min, the KL and the masked mean)."""
    return 15 * case.args[0].numel()


def bytes_moved(case):
    """Reading the three log-prob tensors, the mask and the rewards."""
    return sum(a.numel() * a.element_size() for a in case.args[:5])


# No built-in: PyTorch has no GRPO loss


BENCH = Bench(dims={"T": [256, 1024, 4096]}, fixed={"P": 16, "G": 8}, make=_bench_case, flops=flops,
              bytes_moved=bytes_moved)
