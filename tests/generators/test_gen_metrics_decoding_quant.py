"""`perplexity`, `f1`, `top-p` and `int8-quant` against torch and second formulas."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given

from llmprep.quiz.generators.decoding import make_top_p
from llmprep.quiz.generators.metrics import make_f1, make_perplexity
from llmprep.quiz.generators.quantization import make_int8_quant

f64 = torch.float64


@MANY
@given(seed=SEEDS)
def test_perplexity_is_exp_of_torch_cross_entropy(seed):
    question = make_perplexity(seed)
    probs = torch.tensor(question.params["token_probs"], dtype=f64)
    # Each token as a 2-way prediction (the token, everything else), target 0: its NLL is −ln p.
    log_probs = torch.log(torch.stack([probs, 1 - probs], dim=1))
    cross_entropy = F.nll_loss(log_probs, torch.zeros(len(probs), dtype=torch.long))
    assert math.isclose(question.answer, math.exp(cross_entropy.item()), rel_tol=1e-12)
    # Second formula: 1 / geometric mean.
    assert math.isclose(question.answer, math.prod(question.params["token_probs"]) ** (-1 / len(probs)), rel_tol=1e-9)
    assert_explained(question, [*torch.log(probs), torch.log(probs).sum(), cross_entropy, question.answer])
    assert 3 <= len(probs) <= 6 and all(0.1 <= p <= 0.9 and round(p, 1) == p for p in question.params["token_probs"])


@MANY
@given(seed=SEEDS)
def test_f1_from_labels(seed):
    question = make_f1(seed)
    p = question.params
    # Build the labels the counts describe and score them with torch, not with the counts' formulas.
    y_true = torch.tensor([1] * p["tp"] + [0] * p["fp"] + [1] * p["fn"] + [0] * p["tn"])
    y_pred = torch.tensor([1] * p["tp"] + [1] * p["fp"] + [0] * p["fn"] + [0] * p["tn"])
    true_positive = ((y_pred == 1) & (y_true == 1)).sum().item()
    precision = true_positive / (y_pred == 1).sum().item()
    recall = true_positive / (y_true == 1).sum().item()
    f1 = 2 * p["tp"] / (2 * p["tp"] + p["fp"] + p["fn"])
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(question.answer, [precision, recall, f1], strict=True))
    assert_explained(question, [precision, recall, f1])
    assert 1 <= p["tp"] <= 100 and 0 <= p["fp"] <= 60 and 0 <= p["fn"] <= 60


def _top_p_like_transformers(logits: torch.Tensor, p: float) -> list[int]:
    # The way Hugging Face's TopPLogitsWarper does it: sort ascending, drop tokens whose cumulative
    # probability stays within 1 − p.
    sorted_logits, sorted_index = torch.sort(logits, descending=False)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    remove = cumulative <= (1 - p)
    return sorted(sorted_index[~remove].tolist())


@MANY
@given(seed=SEEDS)
def test_top_p_survivors_match_the_transformers_algorithm(seed):
    question = make_top_p(seed)
    p = question.params
    logits = torch.tensor(p["logits"], dtype=f64)
    assert question.type == "multi" and question.answer == _top_p_like_transformers(logits, p["p"])
    assert [c.en for c in question.choices] == p["tokens"]
    probs = torch.softmax(logits, dim=0)
    order = torch.argsort(probs, descending=True)
    assert_explained(question, [*torch.exp(logits), torch.exp(logits).sum(), *probs, *probs[order].cumsum(0)])
    assert 4 <= len(logits) <= 6 and len(set(p["logits"])) == len(p["logits"])
    assert all(-2 <= x <= 3 and round(x, 1) == x for x in p["logits"])
    assert 2 <= len(question.answer) < len(logits)
    # No knife edge: every cumulative probability is at least 0.01 away from p.
    assert torch.all((probs[order].cumsum(0) - p["p"]).abs() >= 0.01)


@MANY
@given(seed=SEEDS)
def test_int8_quant_is_torch_fake_quantize(seed):
    question = make_int8_quant(seed)
    p = question.params
    x = torch.tensor(p["x"], dtype=torch.float32)
    scale = max(abs(v) for v in p["x"]) / 127
    # torch's fake quantization (quantize, clamp to [−127, 127], dequantize) with zero point 0.
    fake = torch.fake_quantize_per_tensor_affine(x, scale, 0, -127, 127)
    q = [round(v) for v in (fake.double() / scale).tolist()]
    errors = (torch.tensor(p["x"], dtype=f64) - torch.tensor(q, dtype=f64) * scale).abs()
    expected = {"scale": scale, "quantized": q, "max_error": errors.max().item()}[p["ask"]]
    if p["ask"] == "quantized":
        assert question.answer == q
    else:
        assert math.isclose(question.answer, expected, rel_tol=1e-9, abs_tol=1e-12)
    assert_explained(question, [scale, *q, *errors, errors.max()], abs_tol=6e-7)
    assert len(x) == 4 and any(p["x"]) and all(-3 <= v <= 3 and round(v, 1) == v for v in p["x"])
    assert max(abs(v) for v in q) == 127


def test_int8_quant_asks_each_part():
    asks = {make_int8_quant(seed).params["ask"] for seed in range(1, 40)}
    assert asks == {"scale", "quantized", "max_error"}
