"""Numeric answers of questions/mixture-of-experts.yaml, recomputed from first principles.

Mixtral's parameter counts come from building its layers as torch modules on the meta device and
counting what they hold, not from the closed-form sums in the explanations.
"""

from __future__ import annotations

import math

import torch
from torch import nn

MIXTRAL = {"layers": 32, "d_model": 4096, "heads": 32, "kv_heads": 8, "head_dim": 128, "hidden": 14336,
           "experts": 8, "top_k": 2, "vocab": 32000}


class _SwiGLUExpert(nn.Module):
    def __init__(self, d_model: int, hidden: int):
        super().__init__()
        self.w1 = nn.Linear(d_model, hidden, bias=False)
        self.w2 = nn.Linear(hidden, d_model, bias=False)
        self.w3 = nn.Linear(d_model, hidden, bias=False)


class _MixtralLayer(nn.Module):
    def __init__(self, c: dict):
        super().__init__()
        d, kv = c["d_model"], c["kv_heads"] * c["head_dim"]
        self.q = nn.Linear(d, c["heads"] * c["head_dim"], bias=False)
        self.k = nn.Linear(d, kv, bias=False)
        self.v = nn.Linear(d, kv, bias=False)
        self.o = nn.Linear(c["heads"] * c["head_dim"], d, bias=False)
        self.router = nn.Linear(d, c["experts"], bias=False)
        self.experts = nn.ModuleList(_SwiGLUExpert(d, c["hidden"]) for _ in range(c["experts"]))
        self.norms = nn.ParameterList([nn.Parameter(torch.ones(d)) for _ in range(2)])


def _count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def _mixtral_counts() -> tuple[int, int]:
    c = MIXTRAL
    with torch.device("meta"):
        layer = _MixtralLayer(c)
        embeddings = _count(nn.Embedding(c["vocab"], c["d_model"])) + _count(nn.Linear(c["d_model"], c["vocab"], bias=False))
    per_layer = _count(layer)
    one_expert = _count(layer.experts[0])
    active_layer = per_layer - (c["experts"] - c["top_k"]) * one_expert
    final_norm = c["d_model"]
    total = c["layers"] * per_layer + embeddings + final_norm
    active = c["layers"] * active_layer + embeddings + final_norm
    return total, active


def mixtral_total() -> float:
    return _mixtral_counts()[0] / 1e9


def mixtral_active() -> float:
    return _mixtral_counts()[1] / 1e9


def switch_capacity() -> float:
    tokens, experts, factor = 4096, 64, 1.25
    return tokens / experts * factor


def dropped_tokens() -> float:
    # Simulate: fill each expert's buffer token by token; count those that find it full.
    dropped = 0
    for load in (12, 6, 9, 5):
        buffer = []
        for token in range(load):
            if len(buffer) < 8:
                buffer.append(token)
            else:
                dropped += 1
    return dropped


def switch_aux_loss() -> float:
    f = torch.tensor([0.4, 0.3, 0.2, 0.1], dtype=torch.float64)
    p = torch.tensor([0.35, 0.3, 0.2, 0.15], dtype=torch.float64)
    return (0.01 * len(f) * torch.dot(f, p)).item()


def top2_gate() -> float:
    logits = torch.tensor([2.0, 1.0, 0.5, -1.0], dtype=torch.float64)
    values, index = logits.topk(2)
    masked = torch.full_like(logits, -math.inf).scatter(0, index, values)
    return torch.softmax(masked, dim=0)[0].item()


RECOMPUTE = {
    "moe-mixtral-total-params": mixtral_total,
    "moe-mixtral-active-params": mixtral_active,
    "moe-deepseek-v3-active-fraction": lambda: 37e9 / 671e9,
    "moe-switch-expert-capacity": switch_capacity,
    "moe-switch-dropped-tokens": dropped_tokens,
    "moe-switch-aux-loss-value": switch_aux_loss,
    "moe-top2-gate-weight": top2_gate,
    "moe-mixtral-bf16-memory": lambda: 46.7e9 * torch.empty(0, dtype=torch.bfloat16).element_size() / 1e9,
    "moe-mixtral-forward-flops": lambda: 2 * 12.9e9 / 1e9,
    "moe-deepseek-v3-experts-per-token": lambda: len(["shared"] + list(range(256))[:8]),
}
