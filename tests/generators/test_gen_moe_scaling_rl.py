"""`moe-params` (counted on torch modules), `chinchilla-optimal` (bisection on the compute constraint),
`grpo-advantage` and `dpo-loss` (torch), each against a computation that does not reuse the family's formula."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given
from torch import nn

from llmprep.quiz.generators.moe import make_moe_params
from llmprep.quiz.generators.preference import make_dpo_loss, make_grpo_advantage
from llmprep.quiz.generators.scaling import make_chinchilla_optimal

f64 = torch.float64


class _Expert(nn.Module):
    def __init__(self, d_model: int, hidden: int):
        super().__init__()
        self.gate = nn.Linear(d_model, hidden, bias=False)
        self.up = nn.Linear(d_model, hidden, bias=False)
        self.down = nn.Linear(hidden, d_model, bias=False)


class _MoELayer(nn.Module):
    def __init__(self, p: dict, experts: int):
        super().__init__()
        d, q, kv = p["d_model"], p["heads"] * p["head_dim"], p["kv_heads"] * p["head_dim"]
        self.attention = nn.ModuleList([nn.Linear(d, q, bias=False), nn.Linear(d, kv, bias=False),
                                        nn.Linear(d, kv, bias=False), nn.Linear(q, d, bias=False)])
        self.router = nn.Linear(d, p["experts"], bias=False)
        self.experts = nn.ModuleList(_Expert(d, p["hidden"]) for _ in range(experts))
        self.norms = nn.ModuleList([nn.RMSNorm(d), nn.RMSNorm(d)])


def _moe_count(p: dict) -> int:
    experts = p["experts"] if p["ask"] == "total" else p["top_k"]
    with torch.device("meta"):
        layer = _MoELayer(p, experts)
        rest = nn.ModuleList([nn.Embedding(p["vocab"], p["d_model"]), nn.Linear(p["d_model"], p["vocab"], bias=False),
                              nn.RMSNorm(p["d_model"])])
    return p["layers"] * sum(t.numel() for t in layer.parameters()) + sum(t.numel() for t in rest.parameters())


@MANY
@given(seed=SEEDS)
def test_moe_params_is_the_torch_module_count(seed):
    question = make_moe_params(seed)
    p = question.params
    count = _moe_count(p)
    assert math.isclose(question.answer, count / 1e6, rel_tol=1e-12)
    assert 1 <= p["top_k"] < p["experts"] and p["d_model"] % p["head_dim"] == 0 and p["heads"] % p["kv_heads"] == 0
    assert_explained(question, [count], abs_tol=0.5)


def test_moe_params_asks_total_and_active():
    asks = {make_moe_params(seed).params["ask"] for seed in range(1, 30)}
    assert asks == {"total", "active"}


def _bisect_size(compute: float, ratio: float) -> float:
    low, high = 1.0, 1e15
    for _ in range(300):
        middle = math.sqrt(low * high)
        low, high = (middle, high) if 6 * middle * (ratio * middle) < compute else (low, middle)
    return low


@MANY
@given(seed=SEEDS)
def test_chinchilla_optimal_satisfies_the_compute_constraint(seed):
    question = make_chinchilla_optimal(seed)
    p = question.params
    n = _bisect_size(p["compute"], p["tokens_per_param"])
    expected = (n if p["ask"] == "params" else p["tokens_per_param"] * n) / 1e9
    assert math.isclose(question.answer, expected, rel_tol=1e-9)
    assert p["tokens_per_param"] == 20 and 1e21 <= p["compute"] < 1e26
    assert_explained(question, [n / 1e9, 20 * n / 1e9], abs_tol=6e-4)


@MANY
@given(seed=SEEDS)
def test_grpo_advantage_is_torch_group_normalisation(seed):
    question = make_grpo_advantage(seed)
    p = question.params
    rewards = torch.tensor(p["rewards"], dtype=f64)
    advantages = (rewards - rewards.mean()) / rewards.std(unbiased=False)
    assert math.isclose(question.answer, advantages[p["index"]].item(), rel_tol=1e-9, abs_tol=1e-12)
    assert abs(advantages.sum().item()) < 1e-9 and rewards.std().item() > 0
    assert_explained(question, [rewards.mean(), rewards.std(unbiased=False), *advantages])


def test_grpo_advantage_draws_binary_and_graded_rewards():
    groups = [make_grpo_advantage(seed).params["rewards"] for seed in range(1, 40)]
    assert any(set(r) <= {0.0, 1.0} for r in groups) and any(not set(r) <= {0.0, 1.0} for r in groups)


@MANY
@given(seed=SEEDS)
def test_dpo_loss_is_a_two_way_cross_entropy(seed):
    question = make_dpo_loss(seed)
    p = question.params
    # The Bradley–Terry likelihood as a softmax over the two implicit rewards, target: the chosen one.
    rewards = p["beta"] * torch.tensor([p["policy_chosen"] - p["ref_chosen"], p["policy_rejected"] - p["ref_rejected"]],
                                       dtype=f64)
    loss = F.cross_entropy(rewards.unsqueeze(0), torch.tensor([0])).item()
    assert math.isclose(question.answer, loss, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(loss, -F.logsigmoid(rewards[0] - rewards[1]).item(), rel_tol=1e-9)
    assert_explained(question, [rewards[0] - rewards[1], loss])
    assert abs(p["policy_chosen"] - p["ref_chosen"]) <= 3 + 1e-9 and abs(p["policy_rejected"] - p["ref_rejected"]) <= 3 + 1e-9
