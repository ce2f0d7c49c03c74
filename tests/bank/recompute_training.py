"""Recompute the numeric answers of questions/training.yaml, mostly by running the real torch code."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F


def bce_worked_example() -> float:
    return F.binary_cross_entropy(torch.tensor([0.8], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64))


def ce_from_logits() -> float:
    return F.cross_entropy(torch.tensor([[2.0, 1.0, 0.0]], dtype=torch.float64), torch.tensor([0]))


def initial_loss_uniform() -> float:
    vocab = 10_000
    logits = torch.zeros(4, vocab, dtype=torch.float64)
    return F.cross_entropy(logits, torch.tensor([0, 17, 4_321, vocab - 1]))


def _first_adam_update(bias_correction: bool) -> float:
    beta1, beta2, lr, grad = 0.9, 0.999, 1.0, 0.37
    m = (1 - beta1) * grad
    v = (1 - beta2) * grad**2
    if bias_correction:
        m, v = m / (1 - beta1), v / (1 - beta2)
    return lr * m / math.sqrt(v)


def adam_bias_correction_ratio() -> float:
    return _first_adam_update(bias_correction=False) / _first_adam_update(bias_correction=True)


def noam_peak_lr() -> float:
    d_model, warmup = 512, 4000
    steps = np.arange(1, 50_001)
    lrs = d_model**-0.5 * np.minimum(steps**-0.5, steps * warmup**-1.5)
    return float(lrs.max())


def cosine_lr_midpoint() -> float:
    eta_max, eta_min, warmup, total, step = 3e-4, 3e-5, 2_000, 100_000, 51_000
    progress = (step - warmup) / (total - warmup)
    return eta_min + 0.5 * (eta_max - eta_min) * (1 + math.cos(math.pi * progress))


def linear_warmup_schedule_lr() -> float:
    # The same lambda as transformers.get_linear_schedule_with_warmup, driven by a real LambdaLR.
    batches = len(range(0, 25_000, 64))
    total = batches * 3
    warmup = total * 0.1

    def multiplier(step: int) -> float:
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (total - step) / max(1, total - warmup))

    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=2e-5)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, multiplier)
    for _ in range(600):
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"]


def grad_clip_value() -> float:
    a = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    b = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    a.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    b.grad = torch.tensor([12.0], dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    return b.grad


def no_zero_grad_value() -> float:
    w = torch.nn.Parameter(torch.tensor(1.0, dtype=torch.float64))
    optimizer = torch.optim.SGD([w], lr=0.1)
    for _ in range(3):
        loss = 0.5 * w**2
        loss.backward()  # no zero_grad: .grad accumulates
        optimizer.step()
    return w.detach()


def adamw_first_step_value() -> float:
    w = torch.nn.Parameter(torch.tensor([0.5], dtype=torch.float64))
    optimizer = torch.optim.AdamW([w], lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    w.grad = torch.tensor([0.003], dtype=torch.float64)
    optimizer.step()
    return w.detach()


def dropout_inverted_scale() -> float:
    torch.manual_seed(0)
    out = F.dropout(torch.full((1000,), 2.0, dtype=torch.float64), p=0.1, training=True)
    kept = out[out != 0]
    assert torch.allclose(kept, kept[0])
    return kept[0]


RECOMPUTE = {
    "training-bce-worked-example": bce_worked_example,
    "training-ce-from-logits": ce_from_logits,
    "training-initial-loss-uniform": initial_loss_uniform,
    "training-adam-bias-correction-ratio": adam_bias_correction_ratio,
    "training-noam-peak-lr": noam_peak_lr,
    "training-cosine-lr-midpoint": cosine_lr_midpoint,
    "training-linear-warmup-schedule-lr": linear_warmup_schedule_lr,
    "training-grad-clip-value": grad_clip_value,
    "training-no-zero-grad-value": no_zero_grad_value,
    "training-adamw-first-step-value": adamw_first_step_value,
    "training-dropout-inverted-scale": dropout_inverted_scale,
}
