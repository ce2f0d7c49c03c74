import math

import numpy as np


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    # numpy piecewise, returned as numpy.float64 (a float subclass); sin² form of the half cosine
    t = np.float64(step)
    ramp = peak_lr * t / max(warmup_steps, 1)
    done = np.clip((t - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    decay = min_lr + (peak_lr - min_lr) * (1.0 - np.sin(math.pi * done / 2) ** 2)
    return np.where(t < warmup_steps, ramp, decay).item()


def noam_lr(step, d_model, warmup_steps):
    # two branches instead of min(): rising until warmup_steps, then decaying as 1/sqrt(step)
    s = max(1, step)
    if s <= warmup_steps:
        return s / math.sqrt(d_model * warmup_steps**3)
    return 1.0 / math.sqrt(d_model * s)
