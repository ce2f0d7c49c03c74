"""Numeric answers of questions/quantization.yaml.

FP8 values come from torch's own float8 dtypes (bit patterns reinterpreted, finfo); the asymmetric zero
point from torch's quantization observer; bit budgets from counting stored bits.
"""

from __future__ import annotations

import torch


def _fp8_from_bits(bits: int, dtype: torch.dtype) -> float:
    return torch.tensor([bits], dtype=torch.uint8).view(dtype).float().item()


def next_after_one_e4m3() -> float:
    one_bits = torch.tensor([1.0]).to(torch.float8_e4m3fn).view(torch.uint8).item()
    return _fp8_from_bits(one_bits + 1, torch.float8_e4m3fn)


def zero_point() -> int:
    observer = torch.ao.quantization.MinMaxObserver(dtype=torch.quint8, qscheme=torch.per_tensor_affine)
    observer(torch.tensor([-1.0, 0.5, 3.0]))
    _, zero = observer.calculate_qparams()
    return int(zero.item())


def int4_group_gb() -> float:
    weights, group = 7e9, 128
    bits = weights * 4 + (weights / group) * torch.finfo(torch.float16).bits
    return bits / 8 / 1e9


def double_quant_bits() -> float:
    block, second_block = 64, 256
    weights = block * second_block  # one second-level block's worth of weights
    stored_constant_bits = second_block * 8 + 1 * 32
    return stored_constant_bits / weights


def smoothquant_scale() -> float:
    x_max, w_max, alpha = torch.tensor(16.0), torch.tensor(0.25), 0.5
    s = x_max**alpha / w_max ** (1 - alpha)
    assert torch.isclose(x_max / s, w_max * s)  # both maxima equal after smoothing when α = 0.5
    return s.item()


RECOMPUTE = {
    "quantization-fp8-e4m3-max": lambda: torch.finfo(torch.float8_e4m3fn).max,
    "quantization-fp8-e5m2-max": lambda: torch.finfo(torch.float8_e5m2).max,
    "quantization-fp8-e4m3-min-subnormal": lambda: _fp8_from_bits(0b0000_0001, torch.float8_e4m3fn),
    "quantization-fp8-e4m3-next-after-one": next_after_one_e4m3,
    "quantization-int4-group-size-memory": int4_group_gb,
    "quantization-qlora-double-quant-overhead": double_quant_bits,
    "quantization-smoothquant-scale": smoothquant_scale,
    "quantization-asymmetric-zero-point": zero_point,
    "quantization-70b-int4-weights": lambda: 70e9 * 4 / 8 / 1e9,
    "quantization-kv-int8-bytes": lambda: torch.empty(2, 32, 4096, dtype=torch.int8).nbytes,
}
