"""`lr-schedule` (second formulas, torch schedulers) and `adam-step` (torch.optim.Adam, closed-form moments)."""

from __future__ import annotations

import math

import torch
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given

from llmprep.quiz.generators.optimization import make_adam_step, make_lr_schedule, noam_lr, warmup_cosine_lr


@MANY
@given(seed=SEEDS)
def test_lr_schedule_by_a_second_formula(seed):
    question = make_lr_schedule(seed)
    p = question.params
    if p["schedule"] == "noam":
        # Piecewise instead of min(): linear ramp to the peak (d·warmup)^-0.5, then inverse square root.
        peak = (p["d_model"] * p["warmup"]) ** -0.5
        if p["step"] <= p["warmup"]:
            expected = peak * p["step"] / p["warmup"]
        else:
            expected = peak * math.sqrt(p["warmup"] / p["step"])
        assert 1 <= p["step"] <= 3 * p["warmup"]
        assert_explained(question, [p["d_model"] ** -0.5, p["step"] ** -0.5, expected], abs_tol=0, rel_tol=1e-5)
    else:
        # (1 + cos x)/2 = cos²(x/2).
        if p["step"] < p["warmup"]:
            expected = p["peak_lr"] * p["step"] / p["warmup"]
        else:
            progress = (p["step"] - p["warmup"]) / (p["total"] - p["warmup"])
            expected = p["min_lr"] + (p["peak_lr"] - p["min_lr"]) * math.cos(math.pi * progress / 2) ** 2
            assert_explained(question, [progress, math.cos(math.pi * progress)], abs_tol=1e-6, rel_tol=1e-5)
        assert 0 <= p["step"] <= p["total"] and p["min_lr"] in (0, p["peak_lr"] / 10)
        assert_explained(question, [expected], abs_tol=1e-12, rel_tol=1e-5)
    assert math.isclose(question.answer, expected, rel_tol=1e-12, abs_tol=1e-15)


def test_noam_peak_for_the_paper_setting():
    # TOPICS.md: d = 512, warmup 4000 peaks at 6.99e-4; both the formula and a question drawn with that setting.
    assert round(noam_lr(512, 4000, 4000)["lr"], 6) == 0.000699
    paper = {"schedule": "noam", "d_model": 512, "warmup": 4000, "step": 4000}
    question = next(q for q in map(make_lr_schedule, range(1, 400)) if q.params == paper)
    assert round(question.answer, 6) == 0.000699


def test_warmup_cosine_matches_torch_schedulers():
    peak, min_lr, warmup, total = 3e-4, 3e-5, 20, 200
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=peak)
    ramp = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: step / warmup)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=min_lr)
    schedule = torch.optim.lr_scheduler.SequentialLR(optimizer, [ramp, cosine], milestones=[warmup])
    for step in range(total + 1):
        expected = optimizer.param_groups[0]["lr"]
        assert math.isclose(warmup_cosine_lr(peak, min_lr, warmup, total, step)["lr"], expected,
                            rel_tol=1e-6, abs_tol=1e-12), step
        optimizer.step()
        schedule.step()


def _closed_form_without_bias_correction(theta, grads, lr, beta1, beta2, eps):
    # m_t = (1 − β₁) Σ_s β₁^(t−s) g_s and the same for v: no recursion.
    param = list(theta)
    for t in range(1, len(grads) + 1):
        for j in range(len(param)):
            m = (1 - beta1) * sum(beta1 ** (t - s) * grads[s - 1][j] for s in range(1, t + 1))
            v = (1 - beta2) * sum(beta2 ** (t - s) * grads[s - 1][j] ** 2 for s in range(1, t + 1))
            param[j] -= lr * m / (math.sqrt(v) + eps)
    return param


@MANY
@given(seed=SEEDS)
def test_adam_step_is_torch_adam_or_the_closed_form(seed):
    question = make_adam_step(seed)
    p = question.params
    beta1, beta2 = p["betas"]
    if p["bias_correction"]:
        weight = torch.nn.Parameter(torch.tensor(p["theta"], dtype=torch.float64))
        optimizer = torch.optim.Adam([weight], lr=p["lr"], betas=(beta1, beta2), eps=p["eps"])
        for grad in p["grads"]:
            weight.grad = torch.tensor(grad, dtype=torch.float64)
            optimizer.step()
        expected = weight.detach().tolist()
    else:
        expected = _closed_form_without_bias_correction(p["theta"], p["grads"], p["lr"], beta1, beta2, p["eps"])
    assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(question.answer, expected, strict=True))
    g1 = torch.tensor(p["grads"][0], dtype=torch.float64)
    first_update = p["lr"] * torch.sign(g1) * (1 if p["bias_correction"] else 0.1 / math.sqrt(0.001))
    assert_explained(question, [*(0.1 * g1), *(0.001 * g1**2), *first_update, *expected], abs_tol=1e-7, rel_tol=1e-5)
    assert 1 <= len(p["grads"]) <= 2 and p["lr"] in (0.1, 0.01)
    assert all(-1 <= x <= 1 and round(x, 1) == x for x in [*p["theta"], *sum(p["grads"], [])])
    assert all(x != 0 for x in sum(p["grads"], []))
