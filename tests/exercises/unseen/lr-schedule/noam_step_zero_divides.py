"""noam_lr uses step ** -0.5 directly: step 0 raises ZeroDivisionError.

fact: the exception (ZeroDivisionError) with the submission's line
named_if: ZeroDivisionError.*line \d+|line \d+.*ZeroDivisionError
"""
import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))


def noam_lr(step, d_model, warmup_steps):
    return d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)
