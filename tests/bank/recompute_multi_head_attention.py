"""Recompute the numeric answers of questions/multi-head-attention.yaml from their definitions."""

from __future__ import annotations

import numpy as np


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def head_dim() -> int:
    d_model, heads = 768, 12
    return d_model // heads


def param_count_512() -> int:
    # Count the real module: the formula 4·D² + 4·D is what the explanation derives by hand.
    import torch

    layer = torch.nn.MultiheadAttention(embed_dim=512, num_heads=8, bias=True)
    return sum(p.numel() for p in layer.parameters())


def two_head_worked_example() -> float:
    x = np.array([[1.0, 0.0, 0.0, 2.0], [0.0, 1.0, 1.0, 0.0]])  # (T, D)
    heads, d_model = 2, x.shape[1]
    d_k = d_model // heads
    # Identity projections: head h sees features h·d_k … (h+1)·d_k − 1.
    per_head = x.reshape(len(x), heads, d_k).transpose(1, 0, 2)  # (H, T, d_k)
    weights = _softmax(per_head @ per_head.transpose(0, 2, 1) / np.sqrt(d_k))  # (H, T, T)
    outputs = weights @ per_head  # (H, T, d_k)
    merged = outputs.transpose(1, 0, 2).reshape(len(x), d_model)  # (T, D)
    output = merged @ np.eye(d_model)  # W^O = I
    return float(output[0, 3])


def score_flops() -> int:
    d_model, heads, tokens = 4096, 32, 2048
    d_k = d_model // heads
    per_head = 2 * tokens * tokens * d_k  # (T, d_k) @ (d_k, T), a multiply-add is 2 FLOPs
    return heads * per_head


def gqa_kv_cache_bytes() -> float:
    layers, kv_heads, head_dim_, tokens, fp16_bytes = 80, 8, 128, 4096, 2
    cache = np.zeros((layers, 2, kv_heads, tokens, head_dim_), dtype=np.float16)  # K and V per layer
    assert cache.itemsize == fp16_bytes
    return cache.nbytes / 2**30


def gqa_param_count() -> int:
    d_model, query_heads, kv_heads, head_dim_ = 4096, 32, 8, 128
    shapes = {
        "W_Q": (d_model, query_heads * head_dim_),
        "W_K": (d_model, kv_heads * head_dim_),
        "W_V": (d_model, kv_heads * head_dim_),
        "W_O": (query_heads * head_dim_, d_model),
    }
    return sum(int(np.prod(shape)) for shape in shapes.values())


RECOMPUTE = {
    "multi-head-attention-head-dim": head_dim,
    "multi-head-attention-param-count-512": param_count_512,
    "multi-head-attention-two-head-worked-example": two_head_worked_example,
    "multi-head-attention-score-flops": score_flops,
    "multi-head-attention-gqa-kv-cache-bytes": gqa_kv_cache_bytes,
    "multi-head-attention-gqa-param-count": gqa_param_count,
}
