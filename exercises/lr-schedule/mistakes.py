"""Classic wrong schedules, each with the diagnosis it earns.

Each implementation carries both functions (warmup_cosine_lr and noam_lr), as a submission's
file does; the harness calls the one a case asks for.
"""

import math

from llmprep.exercise_api import Mistake


class _Schedules:
    def __init__(self, warmup_cosine_lr, noam_lr):
        self.warmup_cosine_lr, self.noam_lr = warmup_cosine_lr, noam_lr

    def __call__(self, *args, **kwargs):
        return self.warmup_cosine_lr(*args, **kwargs)


def _cosine(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * progress))


def _noam(step, d_model, warmup_steps):
    step = max(step, 1)
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)


def _noam_divides_by_zero(step, d_model, warmup_steps):
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)  # 0 ** -0.5: ZeroDivisionError


def _cosine_over_whole_run(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = step / total_steps  # the decay has already run warmup/total of its way at the end of warmup
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * progress))


def _no_floor_after_total(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # past 1 the cosine climbs back up
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * progress))


def _decays_to_zero(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return 0.5 * peak_lr * (1 + math.cos(math.pi * progress))  # min_lr forgotten inside the decay


MISTAKES = [
    Mistake(id="noam-step-0-divides-by-zero", implementation=_Schedules(_cosine, _noam_divides_by_zero),
            en="Looks like noam_lr divides by zero at step 0 (0 ** -0.5). LambdaLR asks for step 0 before the "
                  "first update: use max(step, 1), so step 0 gets step 1's rate.",
            zh="看起来 noam_lr 在第 0 步除以了零（0 ** -0.5）。LambdaLR 在第一次更新前就会询问第 0 步："
                  "用 max(step, 1)，让第 0 步取第 1 步的学习率。"),
    Mistake(id="cosine-over-whole-run", implementation=_Schedules(_cosine_over_whole_run, _noam),
            en="Looks like the cosine runs over the whole run (progress = step / total_steps): it must start after "
                  "warmup, progress = (step - warmup_steps) / (total_steps - warmup_steps), so the decay starts at "
                  "peak_lr right where warmup ends.",
            zh="看起来余弦覆盖了整个训练过程（progress = step / total_steps）：它应在预热之后才开始，"
                  "progress = (step - warmup_steps) / (total_steps - warmup_steps)，这样衰减正好从预热结束处的 "
                  "peak_lr 开始。"),
    Mistake(id="no-floor-after-total", implementation=_Schedules(_no_floor_after_total, _noam),
            en="Looks like the schedule keeps following the cosine after total_steps, so the rate climbs back "
                  "up: after total_steps it stays at min_lr.",
            zh="看起来过了 total_steps 之后仍在沿余弦曲线计算，学习率又升了回去：total_steps 之后应保持 min_lr。"),
    Mistake(id="decays-to-zero-not-min-lr", implementation=_Schedules(_decays_to_zero, _noam),
            en="Looks like the cosine decays to 0 instead of min_lr: lr = min_lr + ½(peak_lr - min_lr)(1 + cos(π·progress)).",
            zh="看起来余弦衰减到了 0 而不是 min_lr：lr = min_lr + ½(peak_lr - min_lr)(1 + cos(π·progress))。"),
]
