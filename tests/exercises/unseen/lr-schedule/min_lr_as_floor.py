"""min_lr used as a floor on a cosine that decays to 0: max(min_lr, ½·peak·(1 + cos πp)).

fact: wrong only when min_lr is not the default
named_if: min_lr
"""
import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return max(min_lr, 0.5 * peak_lr * (1 + math.cos(math.pi * p)))


def noam_lr(step, d_model, warmup_steps):
    step = max(step, 1)
    return d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)
