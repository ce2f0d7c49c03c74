"""Numeric answers of questions/training-at-scale.yaml.

Bytes per parameter come from the element sizes of the dtypes each state is kept in; the pipeline bubble
from simulating a GPipe schedule step by step rather than from (p − 1)/m.
"""

from __future__ import annotations

import torch

GB = 1e9


def _bytes(dtype: torch.dtype) -> int:
    return torch.empty(0, dtype=dtype).element_size()


# fp16 weights, fp16 gradients; fp32 master weights, momentum, variance.
HALF_STATES = _bytes(torch.float16) * 2
FP32_STATES = _bytes(torch.float32) * 3


def zero_per_gpu(params: float, ranks: int, stage: int) -> float:
    weights, grads, optimizer = _bytes(torch.float16), _bytes(torch.float16), FP32_STATES
    per_param = (weights / (ranks if stage >= 3 else 1) + grads / (ranks if stage >= 2 else 1)
                 + optimizer / (ranks if stage >= 1 else 1))
    return params * per_param / GB


def gpipe_bubble(stages: int, micro_batches: int) -> float:
    """Simulate the forward fill: stage s works on micro-batch t − s at clock t; count idle stage-slots."""
    clocks = micro_batches + stages - 1
    busy = sum(1 for t in range(clocks) for s in range(stages) if 0 <= t - s < micro_batches)
    idle = clocks * stages - busy
    return idle / busy  # idle time relative to the ideal compute time (same for the backward drain)


def activation_bytes(s: int, b: int, h: int, a: int) -> float:
    per_token = 34 * h + 5 * a * s  # bytes per token of one layer, with the attention-score terms counted per head
    return s * b * per_token


RECOMPUTE = {
    "training-at-scale-adam-mixed-precision-memory": lambda: zero_per_gpu(7.5e9, 1, 0),
    "training-at-scale-zero3-per-gpu": lambda: zero_per_gpu(7.5e9, 64, 3),
    "training-at-scale-zero1-per-gpu": lambda: zero_per_gpu(7.5e9, 64, 1),
    "training-at-scale-zero2-per-gpu": lambda: zero_per_gpu(7.5e9, 64, 2),
    "training-at-scale-pipeline-bubble": lambda: gpipe_bubble(8, 32),
    "training-at-scale-activation-memory": lambda: activation_bytes(2048, 1, 4096, 32) / GB,
    "training-at-scale-z-loss-value": lambda: 1e-4 * torch.logsumexp(torch.tensor([10.0], dtype=torch.float64), 0).item() ** 2,
    "training-at-scale-mfu": lambda: 6 * 7e9 * 3000 / 312e12,
    "training-at-scale-grad-accumulation": lambda: 4194304 / (4 * 4096 * 64),
    "training-at-scale-recompute-overhead": lambda: (1 + 1 + 2) / (1 + 2),
}
