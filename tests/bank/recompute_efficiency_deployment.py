"""Numeric answers of questions/efficiency-deployment.yaml, recomputed from first principles.

FLOPs per parameter per token are counted by torch's FlopCounterMode on a real layer (forward,
and forward + backward), not taken from the 2N / 6N rules; quantized sizes come from actually
quantizing a tensor and counting the bits stored.
"""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

GB = 1e9
SECONDS_PER_DAY = 24 * 60 * 60


def _flops_per_parameter_per_token(backward: bool) -> float:
    """FLOPs of a bias-free linear layer per weight per token, measured with FlopCounterMode."""
    tokens, width_in, width_out = 16, 64, 32
    layer = torch.nn.Linear(width_in, width_out, bias=False)
    # The input stands for activations of earlier layers, so its gradient is needed too.
    x = torch.randn(tokens, width_in, requires_grad=True)
    with FlopCounterMode(display=False) as counter:
        y = layer(x)
        if backward:
            y.backward(torch.randn_like(y))
    return counter.get_total_flops() / (layer.weight.numel() * tokens)


def _training_flops(parameters: float, tokens: float) -> float:
    return _flops_per_parameter_per_token(backward=True) * parameters * tokens


def gpt3_fp16_weights() -> float:
    """GB of fp16 weights for 175B parameters."""
    return 175e9 * torch.empty(0, dtype=torch.float16).element_size() / GB


def forward_flops_per_token() -> float:
    """GFLOPs per generated token for 7B parameters (attention scores ignored)."""
    return _flops_per_parameter_per_token(backward=False) * 7e9 / 1e9


def gpt3_training_flops() -> float:
    """Training FLOPs for 175B parameters and 300B tokens."""
    return _training_flops(175e9, 300e9)


def chinchilla_compute() -> float:
    """Training FLOPs for 70B parameters and 1.4T tokens."""
    return _training_flops(70e9, 1.4e12)


def training_days() -> float:
    """Days to spend 3.15e23 FLOPs on 1,024 GPUs of 312 TFLOP/s at 40% utilisation."""
    achieved_flops_per_second = 1024 * 312e12 * 0.40
    return _training_flops(175e9, 300e9) / achieved_flops_per_second / SECONDS_PER_DAY


def decode_tokens_per_second() -> float:
    """Bandwidth-bound tokens/s: 2.0e12 B/s over the fp16 weights of a 7B model, read once per token."""
    weight_bytes = 7e9 * torch.empty(0, dtype=torch.float16).element_size()
    return 2.0e12 / weight_bytes


def _group_quantized_bits(weights: np.ndarray, bits: int, group: int) -> int:
    """Quantize `weights` symmetrically per group and return the bits stored (codes + fp16 scales)."""
    groups = weights.reshape(-1, group)
    levels = 2 ** (bits - 1) - 1
    scales = (np.abs(groups).max(axis=1, keepdims=True) / levels).astype(np.float16)
    codes = np.clip(np.round(groups / scales), -levels - 1, levels).astype(np.int8)
    assert codes.min() >= -(2 ** (bits - 1)) and codes.max() < 2 ** (bits - 1)
    return codes.size * bits + scales.size * scales.itemsize * 8


def int4_group_quant_bytes() -> float:
    """GB of a 7B model in 4-bit codes with one fp16 scale per group of 128 weights."""
    weights = np.random.default_rng(0).standard_normal((256, 1024)).astype(np.float32)
    bits_per_weight = _group_quantized_bits(weights, bits=4, group=128) / weights.size
    return 7e9 * bits_per_weight / 8 / GB


def int8_absmax_roundtrip() -> float:
    """Dequantized value of w = 0.333 in a tensor whose absmax is 2.54 (symmetric int8)."""
    tensor = np.array([2.54, -1.2, 0.333, 0.05])
    scale = np.abs(tensor).max() / 127
    codes = np.round(tensor / scale).astype(np.int8)
    return float(codes[2]) * scale


def distillation_soft_targets() -> float:
    """Teacher's soft-target probability of class 0 for logits [4, 2, 0] at T = 2."""
    logits = torch.tensor([4.0, 2.0, 0.0], dtype=torch.float64)
    return torch.softmax(logits / 2.0, dim=-1)[0]


RECOMPUTE = {
    "efficiency-deployment-gpt3-fp16-weights": gpt3_fp16_weights,
    "efficiency-deployment-forward-flops-per-token": forward_flops_per_token,
    "efficiency-deployment-gpt3-training-flops": gpt3_training_flops,
    "efficiency-deployment-chinchilla-compute": chinchilla_compute,
    "efficiency-deployment-training-days": training_days,
    "efficiency-deployment-decode-tokens-per-second": decode_tokens_per_second,
    "efficiency-deployment-int4-group-quant-bytes": int4_group_quant_bytes,
    "efficiency-deployment-int8-absmax-roundtrip": int8_absmax_roundtrip,
    "efficiency-deployment-distillation-soft-targets": distillation_soft_targets,
}
