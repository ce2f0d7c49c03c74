"""Recompute the numeric answers of questions/transformer-block.yaml from their definitions."""

from __future__ import annotations

import numpy as np


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
    # Statistics over the features of one token, biased variance, ε = 0 as the questions state.
    return gamma * (x - x.mean()) / np.sqrt(((x - x.mean()) ** 2).mean()) + beta


def ffn_worked_example() -> float:
    w1 = np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 1.0]])
    b1 = np.array([0.0, -1.0, 0.5])
    w2 = np.array([[1.0, -2.0, 0.5], [-1.0, 1.0, 1.0]])
    b2 = np.array([0.1, -0.2])
    x = np.array([1.0, 1.0])
    return float((w2 @ np.maximum(w1 @ x + b1, 0.0) + b2)[0])


def ffn_param_count() -> int:
    import torch

    ffn = torch.nn.Sequential(torch.nn.Linear(512, 2048), torch.nn.ReLU(), torch.nn.Linear(2048, 512))
    return sum(p.numel() for p in ffn.parameters())


def swiglu_param_count() -> int:
    d_model, hidden = 4096, 11008
    gate, up, down = (d_model, hidden), (d_model, hidden), (hidden, d_model)
    return sum(rows * cols for rows, cols in (gate, up, down))


def layernorm_values() -> float:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    return float(_layer_norm(x, np.ones(4), np.zeros(4))[-1])


def layernorm_gamma_beta() -> float:
    # torch's own LayerNorm, with the learned parameters set by hand, as a second opinion on the numpy formula.
    import torch

    layer = torch.nn.LayerNorm(3, eps=0.0, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([1.0, 2.0, 0.5]))
        layer.bias.copy_(torch.tensor([0.0, 1.0, -1.0]))
        by_torch = layer(torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64))[2].item()
    by_numpy = _layer_norm(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0]))[2]
    assert abs(by_torch - by_numpy) < 1e-12
    return float(by_numpy)


def rmsnorm_value() -> float:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    return float((x / np.sqrt((x**2).mean()))[-1])


def encoder_layer_param_count() -> int:
    import torch

    layer = torch.nn.TransformerEncoderLayer(d_model=512, nhead=8)
    return sum(p.numel() for p in layer.parameters())


RECOMPUTE = {
    "transformer-block-ffn-worked-example": ffn_worked_example,
    "transformer-block-ffn-param-count": ffn_param_count,
    "transformer-block-swiglu-param-count": swiglu_param_count,
    "transformer-block-layernorm-values": layernorm_values,
    "transformer-block-layernorm-gamma-beta": layernorm_gamma_beta,
    "transformer-block-rmsnorm-value": rmsnorm_value,
    "transformer-block-encoder-layer-param-count": encoder_layer_param_count,
}
