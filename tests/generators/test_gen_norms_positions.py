"""`layer-norm`, `rms-norm` (against torch.nn.functional) and `sinusoidal-pe`, `rope` (against torch tables)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given

from llmprep.quiz.generators.normalization import make_layer_norm, make_rms_norm
from llmprep.quiz.generators.positions import make_rope, make_sinusoidal_pe

f64 = torch.float64


def _one_decimal(values, low, high):
    return all(low <= v <= high and round(v, 1) == v for v in values)


@MANY
@given(seed=SEEDS)
def test_layer_norm_is_torch_layer_norm(seed):
    question = make_layer_norm(seed)
    p = question.params
    x, gamma, beta = (torch.tensor(p[name], dtype=f64) for name in ("x", "gamma", "beta"))
    expected = F.layer_norm(x, x.shape, gamma, beta, eps=p["eps"])
    assert torch.allclose(torch.tensor(question.answer, dtype=f64), expected, atol=1e-12, rtol=0)
    mean, variance = x.mean(), x.var(unbiased=False)
    deviations = x - mean
    normalized = deviations / torch.sqrt(variance + p["eps"])
    assert_explained(question, [mean, *deviations, *deviations**2, variance, torch.sqrt(variance + p["eps"]),
                                *normalized, *expected])
    assert len(x) in (3, 4) and _one_decimal(p["x"], -2, 2) and _one_decimal(p["gamma"], 0.5, 2)
    assert _one_decimal(p["beta"], -1, 1) and p["eps"] == 1e-5 and variance >= 0.04 - 1e-12


@MANY
@given(seed=SEEDS)
def test_rms_norm_is_torch_rms_norm(seed):
    question = make_rms_norm(seed)
    p = question.params
    x, gamma = torch.tensor(p["x"], dtype=f64), torch.tensor(p["gamma"], dtype=f64)
    expected = F.rms_norm(x, x.shape, gamma, eps=p["eps"])
    assert torch.allclose(torch.tensor(question.answer, dtype=f64), expected, atol=1e-12, rtol=0)
    mean_square = (x * x).mean()
    rms = torch.sqrt(mean_square + p["eps"])
    assert_explained(question, [*(x * x), mean_square, rms, *(x / rms), *expected])
    assert len(x) in (3, 4) and _one_decimal(p["x"], -2, 2) and _one_decimal(p["gamma"], 0.5, 2)
    assert mean_square >= 0.04 - 1e-12


def _sinusoidal_table(length: int, d_model: int) -> torch.Tensor:
    # The usual PyTorch implementation: frequencies through exp(-ln(10000)·2i/d).
    position = torch.arange(length, dtype=f64)[:, None]
    frequency = torch.exp(torch.arange(0, d_model, 2, dtype=f64) * (-math.log(10000.0) / d_model))
    table = torch.zeros(length, d_model, dtype=f64)
    table[:, 0::2] = torch.sin(position * frequency)
    table[:, 1::2] = torch.cos(position * frequency)
    return table


@MANY
@given(seed=SEEDS)
def test_sinusoidal_pe_is_the_table_entry(seed):
    question = make_sinusoidal_pe(seed)
    p = question.params
    expected = _sinusoidal_table(p["pos"] + 1, p["d_model"])[p["pos"], p["dim"]].item()
    assert math.isclose(question.answer, expected, abs_tol=1e-9)
    pair = p["dim"] // 2
    angle = p["pos"] / 10000 ** (2 * pair / p["d_model"])
    assert_explained(question, [pair, 10000 ** (2 * pair / p["d_model"]), angle, expected])
    assert 1 <= p["pos"] <= 100 and 0 <= p["dim"] < p["d_model"] <= 512


def test_sinusoidal_pe_matches_the_corrected_example_of_topics_md():
    # TOPICS.md: d = 4, pos 1 -> [0.84147, 0.54030, 0.01000, 0.99995].
    table = _sinusoidal_table(2, 4)
    assert torch.allclose(table[1], torch.tensor([0.84147, 0.54030, 0.01000, 0.99995], dtype=f64), atol=1e-5)


@MANY
@given(seed=SEEDS)
def test_rope_is_a_complex_rotation(seed):
    question = make_rope(seed)
    p = question.params
    theta = p["base"] ** (-2 * p["i"] / p["head_dim"])
    # RoFormer's complex form: (x0 + i·x1)·e^{i·m·θ}.
    pair = torch.view_as_complex(torch.tensor(p["x"], dtype=f64))
    rotated = pair * torch.polar(torch.tensor(1.0, dtype=f64), torch.tensor(p["m"] * theta, dtype=f64))
    expected = torch.view_as_real(rotated)
    assert torch.allclose(torch.tensor(question.answer, dtype=f64), expected, atol=1e-12, rtol=0)
    angle = p["m"] * theta
    assert_explained(question, [theta, angle, math.cos(angle), math.sin(angle), *expected])
    assert _one_decimal(p["x"], -2, 2) and p["x"] != [0, 0] and 1 <= p["m"] <= 20
    assert 0 <= p["i"] < p["head_dim"] // 2 and p["head_dim"] <= 128
    # A rotation keeps the pair's length.
    assert math.isclose(math.hypot(*question.answer), math.hypot(*p["x"]), rel_tol=1e-12)
