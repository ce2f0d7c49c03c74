"""Numeric answers of questions/serving.yaml.

Speculative decoding's expected tokens come from summing the distribution of accepted prefixes (not the
closed form); block counts from simulating an allocator that hands out 16-slot blocks on demand.
"""

from __future__ import annotations

import torch


def _expected_tokens(alpha: float, gamma: int) -> float:
    # P(exactly i draft tokens accepted) = α^i (1 − α) for i < γ, α^γ for all γ; each step adds one target token.
    expected = sum((i + 1) * alpha**i * (1 - alpha) for i in range(gamma))
    return expected + (gamma + 1) * alpha**gamma


def _allocate(lengths: list[int], block: int = 16) -> tuple[int, int]:
    blocks = slots_used = 0
    for length in lengths:
        free_in_last = 0
        for _ in range(length):
            if free_in_last == 0:
                blocks += 1
                free_in_last = block
            free_in_last -= 1
            slots_used += 1
    return blocks, blocks * block - slots_used


def _acceptance(p: list[float], q: list[float]) -> float:
    p_, q_ = torch.tensor(p, dtype=torch.float64), torch.tensor(q, dtype=torch.float64)
    # E_{x~q}[min(1, p(x)/q(x))]
    return (q_ * torch.clamp(p_ / q_, max=1.0)).sum().item()


def _kv_bytes_per_token(layers: int, hidden: int) -> int:
    with torch.device("meta"):
        kv = torch.empty(2, layers, hidden, dtype=torch.float16)
    return kv.numel() * kv.element_size()


LENGTHS = [100, 17, 64, 250]

RECOMPUTE = {
    "serving-speculative-expected-tokens": lambda: _expected_tokens(0.8, 4),
    "serving-speculative-walltime-speedup": lambda: _expected_tokens(0.8, 4) / (4 * 0.05 + 1),
    "serving-speculative-alpha-from-distributions": lambda: _acceptance([0.5, 0.3, 0.2], [0.3, 0.5, 0.2]),
    "serving-speculative-token-acceptance": lambda: _acceptance([0.3], [0.5]) / 0.5,
    "serving-paged-blocks": lambda: _allocate(LENGTHS)[0],
    "serving-paged-waste": lambda: _allocate(LENGTHS)[1],
    "serving-opt13b-kv-per-token": lambda: _kv_bytes_per_token(40, 5120),
    "serving-kv-token-capacity": lambda: 40e9 // _kv_bytes_per_token(40, 5120),
    "serving-decode-memory-bound-latency": lambda: 7e9 * 2 / 3.35e12 * 1e3,
    "serving-prefill-ttft": lambda: 2 * 7e9 * 2000 / 400e12 * 1e3,
}
