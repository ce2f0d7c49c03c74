"""Warmup counted from 1: peak_lr · (step + 1) / warmup_steps, so step 0 is not 0.

fact: wrong only during the warmup steps (the first steps), right after them
named_if: first|warmup|only at|index|step
"""
import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return peak_lr * (step + 1) / warmup_steps
    if step >= total_steps:
        return min_lr
    p = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * p))


def noam_lr(step, d_model, warmup_steps):
    step = max(step, 1)
    return d_model ** -0.5 * min(step ** -0.5, step * warmup_steps ** -1.5)
