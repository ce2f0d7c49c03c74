"""Cases for lr-schedule: the closed forms (Noam's peak, cosine's halfway point), LambdaLR, random."""

import math

import torch

from llmprep.exercise_api import Case


def _cosine(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    # the closed form, written independently of the reference
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    t = min(step, total_steps) - warmup_steps
    return min_lr + (peak_lr - min_lr) * (1 + math.cos(math.pi * t / (total_steps - warmup_steps))) / 2


def _noam(step, d_model, warmup_steps):
    step = max(step, 1)
    return min(1 / math.sqrt(step * d_model), step / math.sqrt(d_model * warmup_steps**3))


def _steps(values):
    return torch.tensor(values, dtype=torch.int64)


def _expected(function, steps, **config):
    return torch.tensor([function(int(s), **config) for s in steps], dtype=torch.float64)


def _case(name, schedule, steps, expected=False, driver=None, tolerance_scale=1.0, **config):
    steps = _steps(steps)
    kwargs = {"schedule": schedule, **({"driver": driver} if driver else {}), **config}
    function = _cosine if schedule == "warmup-cosine" else _noam
    return Case(name, (steps,), kwargs, expected=_expected(function, steps, **config) if expected else None,
                tolerance_scale=tolerance_scale)


def fixed_cases():
    """Noam's peak 6.99e-4 (d 512, warmup 4000), step 0, cosine halfway = half the peak, min_lr, no
    warmup, past the end, and both schedules driven by LambdaLR."""
    noam_512 = {"d_model": 512, "warmup_steps": 4000}
    cosine = {"peak_lr": 6e-4, "warmup_steps": 100, "total_steps": 1100}
    return [
        _case("noam-d512-warmup-4000-peak", "noam", [1, 100, 1000, 3999, 4000, 4001, 8000, 16000, 100000],
              expected=True, **noam_512),
        _case("noam-step-0-as-step-1", "noam", [0, 1, 2, 50, 99, 100, 101, 400], d_model=256, warmup_steps=100),
        _case("cosine-halfway-is-half-the-peak", "warmup-cosine", [0, 1, 50, 99, 100, 101, 350, 600, 850, 1099, 1100],
              expected=True, **cosine),
        _case("cosine-to-min-lr", "warmup-cosine", [0, 10, 19, 20, 60, 100, 150, 199, 200],
              peak_lr=1e-3, warmup_steps=20, total_steps=200, min_lr=1e-4),
        _case("no-warmup", "warmup-cosine", [0, 1, 250, 500, 999, 1000], peak_lr=3e-4, warmup_steps=0,
              total_steps=1000, min_lr=3e-5),
        _case("past-total-stays-at-min-lr", "warmup-cosine", [40, 400, 499, 500, 501, 750, 1000, 5000],
              peak_lr=2e-3, warmup_steps=50, total_steps=500, min_lr=2e-4),
        # A LambdaLR multiplier (base lr 1): the schedule's output is the optimizer's lr at each step.
        _case("lambda-lr-warmup-cosine", "warmup-cosine", list(range(25)), expected=True, driver="LambdaLR",
              tolerance_scale=100.0, peak_lr=1.0, warmup_steps=5, total_steps=20, min_lr=0.1),
        _case("lambda-lr-noam", "noam", list(range(12)), expected=True, driver="LambdaLR", d_model=64, warmup_steps=4),
    ]


def random_cases(gen, count):
    """`count` random schedules, alternating: warmup-cosine (warmup 0-50, with and without min_lr,
    steps up to past the end) and Noam (d_model 64-1024, warmup 10-4000, steps from 0 to 3·warmup)."""
    cases = []

    def integer(low, high):
        return int(torch.randint(low, high + 1, (1,), generator=gen))

    for i in range(count):
        if i % 2 == 0:
            warmup, total = integer(0, 50), integer(60, 400)
            peak = [1e-4, 3e-4, 1e-3, 6e-3][integer(0, 3)]
            min_lr = [0.0, peak / 10][integer(0, 1)]
            steps = sorted(set(torch.randint(0, total + 40, (8,), generator=gen).tolist()) | {warmup})
            cases.append(_case(f"random-{i}", "warmup-cosine", steps, peak_lr=peak, warmup_steps=warmup,
                               total_steps=total, min_lr=min_lr))
        else:
            warmup = integer(10, 4000)
            steps = sorted(set(torch.randint(0, 3 * warmup, (8,), generator=gen).tolist()) | {warmup})
            cases.append(_case(f"random-{i}", "noam", steps, d_model=[64, 128, 512, 1024][integer(0, 3)],
                               warmup_steps=warmup))
    return cases
