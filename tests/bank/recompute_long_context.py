"""Numeric answers of questions/long-context.yaml, recomputed from first principles.

RoPE frequencies come from the same inv_freq construction Hugging Face's rotary embedding uses;
cache sizes from allocating (meta) tensors of the cache's shape and counting their bytes.
"""

from __future__ import annotations

import math

import torch

GIB = 2**30


def _inv_freq(base: float, dim: int) -> torch.Tensor:
    return 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))


def slowest_wavelength() -> float:
    return (2 * math.pi / _inv_freq(10000.0, 128)).max().item()


def ntk_base() -> float:
    # The defining property: the slowest pair's frequency is divided by s, the fastest one is unchanged.
    dim, scale = 128, 4.0
    slowest_exponent = (dim - 2) / dim
    new_base = (10000.0 ** slowest_exponent * scale) ** (1 / slowest_exponent)
    assert math.isclose(_inv_freq(new_base, dim)[-1].item() * scale, _inv_freq(10000.0, dim)[-1].item(), rel_tol=1e-12)
    return new_base


def llama3_8b_cache_gib() -> float:
    layers, kv_heads, head_dim, tokens = 32, 8, 128, 131072
    with torch.device("meta"):
        cache = torch.empty(layers, 2, kv_heads, tokens, head_dim, dtype=torch.bfloat16)
    return cache.numel() * cache.element_size() / GIB


def score_matrix_gib() -> float:
    with torch.device("meta"):
        scores = torch.empty(32768, 32768, dtype=torch.float16)
    return scores.numel() * scores.element_size() / GIB


def rolling_slot() -> int:
    slots = [None] * 4096
    for position in range(10001):
        slots[position % 4096] = position
    return slots.index(10000)


def online_normalizer() -> float:
    m, total = -math.inf, 0.0
    for block in ([1.0, 2.0], [3.0, 0.0]):
        new_m = max(m, *block)
        total = total * math.exp(m - new_m) + sum(math.exp(x - new_m) for x in block)
        m = new_m
    # The one-pass result must equal the two-pass one, the point of the algorithm.
    assert math.isclose(total, torch.tensor([1.0, 2.0, 3.0, 0.0], dtype=torch.float64).sub(3).exp().sum().item())
    return total


RECOMPUTE = {
    "long-context-online-softmax-normalizer": online_normalizer,
    "long-context-position-interpolation-index": lambda: 6000 * 2048 / 8192,
    "long-context-rope-longest-wavelength": slowest_wavelength,
    "long-context-ntk-aware-base": ntk_base,
    "long-context-yarn-temperature": lambda: 0.1 * math.log(16) + 1,
    "long-context-sliding-window-span": lambda: 32 * 4096,
    "long-context-rolling-buffer-slot": rolling_slot,
    "long-context-llama3-128k-kv-cache": llama3_8b_cache_gib,
    "long-context-quadratic-growth": lambda: (32768 / 4096) ** 2,
    "long-context-score-matrix-memory": score_matrix_gib,
    "long-context-streaming-cache-size": lambda: len(list(range(4)) + list(range(1020))),
}
