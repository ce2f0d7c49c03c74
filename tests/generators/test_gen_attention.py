"""`attention` and `softmax-temperature` against torch."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given

from llmprep.quiz.generators.attention import make_attention, make_softmax_temperature

f64 = torch.float64


@MANY
@given(seed=SEEDS)
def test_attention_answer_is_torch_sdpa(seed):
    question = make_attention(seed)
    params = question.params
    q, k, v = (torch.tensor(params[name], dtype=f64) for name in ("q", "k", "v"))
    expected = F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=params["causal"])[0]
    assert torch.allclose(torch.tensor(question.answer, dtype=f64), expected, atol=1e-12, rtol=0)
    assert question.id == f"gen:attention:{seed}" and question.family == "attention"


@MANY
@given(seed=SEEDS)
def test_attention_explanation_shows_every_intermediate(seed):
    question = make_attention(seed)
    params = question.params
    q, k, v = (torch.tensor(params[name], dtype=f64) for name in ("q", "k", "v"))
    scores = q @ k.T
    scaled = scores / math.sqrt(q.shape[1])
    if params["causal"]:
        scaled_masked = scaled.masked_fill(torch.ones_like(scaled).triu(1).bool(), float("-inf"))
    else:
        scaled_masked = scaled
    exps = torch.exp(scaled_masked)
    weights = torch.softmax(scaled_masked, dim=-1)
    intermediates = [*scores.flatten(), *scaled.flatten(), *exps[exps > 0], *exps.sum(-1), *weights.flatten(),
                     *(weights @ v).flatten()]
    assert_explained(question, intermediates)


@MANY
@given(seed=SEEDS)
def test_attention_inputs_are_hand_sized(seed):
    params = make_attention(seed).params
    n, d_k = len(params["q"]), len(params["q"][0])
    assert 2 <= n <= 3 and 2 <= d_k <= 4 and 2 <= len(params["v"][0]) <= 3
    assert len(params["k"]) == len(params["v"]) == n and len(params["k"][0]) == d_k
    for name in ("q", "k", "v"):
        for value in (x for row in params[name] for x in row):
            assert -1 <= value <= 1 and round(value, 1) == value
    assert isinstance(params["causal"], bool)


def test_attention_causal_first_row_is_the_first_value_row():
    # Position 1 sees only itself: its weight is softmax of one score, 1.
    for seed in range(1, 60):
        question = make_attention(seed)
        if question.params["causal"]:
            assert question.answer[0] == question.params["v"][0]
            return
    raise AssertionError("no causal question in 60 seeds")


@MANY
@given(seed=SEEDS)
def test_softmax_temperature_is_torch_softmax(seed):
    question = make_softmax_temperature(seed)
    logits = torch.tensor(question.params["logits"], dtype=f64)
    temperature = question.params["temperature"]
    expected = torch.softmax(logits / temperature, dim=0)
    assert torch.allclose(torch.tensor(question.answer, dtype=f64), expected, atol=1e-12, rtol=0)
    assert_explained(question, [*(logits / temperature), *torch.exp(logits / temperature),
                                torch.exp(logits / temperature).sum(), *expected])
    assert 3 <= len(logits) <= 4 and all(-3 <= x <= 3 and round(x, 1) == x for x in question.params["logits"])
    assert 0.5 <= temperature <= 2 and temperature != 1
