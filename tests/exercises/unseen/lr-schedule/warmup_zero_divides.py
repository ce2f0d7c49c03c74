r"""The warmup rate computed before the branch: step / warmup_steps raises when warmup_steps = 0.

fact: the exception (ZeroDivisionError) with the submission's line
named_if: ZeroDivisionError.*line \d+|line \d+.*ZeroDivisionError
"""
import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    warm = peak_lr * step / warmup_steps
    if step < warmup_steps:
        return warm
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))


def noam_lr(step, d_model, warmup_steps):
    step = max(step, 1)
    return d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)
