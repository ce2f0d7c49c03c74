"""Numeric answers of questions/post-training.yaml, recomputed with torch (F.logsigmoid, torch.std, clamp)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

f64 = torch.float64


def _group_advantages(rewards: list[float]) -> torch.Tensor:
    r = torch.tensor(rewards, dtype=f64)
    return (r - r.mean()) / r.std(unbiased=False)


def _dpo_loss(policy_w, ref_w, policy_l, ref_l, beta) -> float:
    margin = beta * ((torch.tensor(policy_w, dtype=f64) - ref_w) - (torch.tensor(policy_l, dtype=f64) - ref_l))
    return -F.logsigmoid(margin).item()


def _ppo_objective(ratio: float, advantage: float, eps: float = 0.2) -> float:
    r, a = torch.tensor(ratio, dtype=f64), torch.tensor(advantage, dtype=f64)
    return torch.minimum(r * a, r.clamp(1 - eps, 1 + eps) * a).item()


def gae_first_step() -> float:
    rewards, values, gamma, lam = [0.0, 0.0, 1.0], [0.5, 0.6, 0.8, 0.0], 1.0, 0.9
    # Backward recursion A_t = δ_t + γλ A_{t+1}, not the forward sum of the explanation.
    advantage = 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + gamma * values[t + 1] - values[t]
        advantage = delta + gamma * lam * advantage
    return advantage


RECOMPUTE = {
    "post-training-grpo-advantage-correct": lambda: _group_advantages([1, 0, 0, 1, 1, 0, 0, 0])[0].item(),
    "post-training-grpo-advantage-wrong": lambda: _group_advantages([1] * 4 + [0] * 12)[-1].item(),
    "post-training-dpo-loss-value": lambda: _dpo_loss(-12.0, -13.0, -15.0, -14.0, 0.1),
    "post-training-dpo-loss-at-init": lambda: _dpo_loss(-20.0, -20.0, -30.0, -30.0, 0.1),
    "post-training-ppo-clip-positive": lambda: _ppo_objective(1.5, 2.0),
    "post-training-ppo-clip-negative": lambda: _ppo_objective(0.6, -1.0),
    "post-training-gae-value": gae_first_step,
    "post-training-reward-model-loss": lambda: F.binary_cross_entropy_with_logits(
        torch.tensor(2.0 - 0.5, dtype=f64), torch.tensor(1.0, dtype=f64)).item(),
    "post-training-kl-penalized-reward": lambda: 1.0 - 0.02 * 5.0,
}
