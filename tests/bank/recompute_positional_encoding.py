"""Recompute the numeric answers of questions/positional-encoding.yaml from their definitions."""

from __future__ import annotations

import math

import numpy as np


def _sinusoidal_table(positions: int, d_model: int, base: float = 10000.0) -> np.ndarray:
    """The Vaswani et al. table: row pos, column 2i = sin(pos·ω_i), column 2i+1 = cos(pos·ω_i)."""
    pos = np.arange(positions)[:, None]  # (P, 1)
    pair = np.arange(d_model // 2)[None, :]  # (1, d/2)
    angles = pos / base ** (2 * pair / d_model)  # (P, d/2)
    table = np.empty((positions, d_model))
    table[:, 0::2] = np.sin(angles)
    table[:, 1::2] = np.cos(angles)
    return table


def _rotation(angle: float) -> np.ndarray:
    return np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])


def sinusoid_pos1_dim0() -> float:
    return float(_sinusoidal_table(2, 4)[1, 0])


def doc_frequency_coupling() -> float:
    return float(_sinusoidal_table(3, 4)[2, 2])


def longest_wavelength() -> float:
    d_model = 512
    slowest_frequency = 1 / 10000 ** (2 * (d_model // 2 - 1) / d_model)
    return 2 * math.pi / slowest_frequency


def dot_product_offset() -> float:
    table = _sinusoidal_table(5, 4)
    return float(table[3] @ table[4])


def learned_param_count() -> int:
    import torch

    return torch.nn.Embedding(num_embeddings=512, embedding_dim=768).weight.numel()


def rope_score() -> float:
    query, key = np.array([1.0, 2.0]), np.array([2.0, 1.0])
    query_position, key_position, theta = 5, 3, 1.0
    return float((_rotation(query_position * theta) @ query) @ (_rotation(key_position * theta) @ key))


def alibi_bias() -> float:
    heads, head, query_position, key_position = 8, 3, 10, 4
    slopes = [2 ** (-8 * h / heads) for h in range(1, heads + 1)]
    return -slopes[head - 1] * (query_position - key_position)


RECOMPUTE = {
    "positional-encoding-sinusoid-pos1-dim0": sinusoid_pos1_dim0,
    "positional-encoding-doc-frequency-coupling": doc_frequency_coupling,
    "positional-encoding-longest-wavelength": longest_wavelength,
    "positional-encoding-dot-product-offset": dot_product_offset,
    "positional-encoding-learned-param-count": learned_param_count,
    "positional-encoding-rope-score": rope_score,
    "positional-encoding-alibi-bias": alibi_bias,
}
