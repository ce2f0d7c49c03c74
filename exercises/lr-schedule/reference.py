import math


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    """Linear warmup from 0 to peak_lr, then cosine decay to min_lr at total_steps, then min_lr."""
    if step < warmup_steps:
        return peak_lr * step / warmup_steps
    if step > total_steps:
        return min_lr
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 -> 1 over the decay only
    return min_lr + 0.5 * (peak_lr - min_lr) * (1 + math.cos(math.pi * progress))


def noam_lr(step, d_model, warmup_steps):
    """Vaswani et al.'s schedule: d_model^-0.5 · min(step^-0.5, step · warmup^-1.5), step 0 as step 1."""
    step = max(step, 1)  # LambdaLR asks for step 0 before the first update; 0^-0.5 divides by zero
    return d_model**-0.5 * min(step**-0.5, step * warmup_steps**-1.5)
