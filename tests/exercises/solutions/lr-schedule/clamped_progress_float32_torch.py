import torch


def warmup_cosine_lr(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    # one branch: the warmup factor and the clamped progress, the cosine computed in float32 by torch
    if step < warmup_steps:
        return peak_lr * (step / warmup_steps)
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    cosine = torch.cos(torch.tensor(torch.pi * progress, dtype=torch.float32))
    return float(min_lr + (peak_lr - min_lr) * (1 + cosine) / 2)


def noam_lr(step, d_model, warmup_steps):
    # the Annotated Transformer's form: if step == 0, step = 1
    if step == 0:
        step = 1
    return d_model ** (-0.5) * min(step ** (-0.5), step * warmup_steps ** (-1.5))
