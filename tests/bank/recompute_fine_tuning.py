"""Recompute the numeric answers of questions/fine-tuning.yaml by building the layers and losses in torch."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _lora_pair(d_in: int, d_out: int, rank: int) -> int:
    down = torch.nn.Linear(d_in, rank, bias=False, device="meta")  # A: (r, d_in)
    up = torch.nn.Linear(rank, d_out, bias=False, device="meta")  # B: (d_out, r)
    return sum(p.numel() for p in (*down.parameters(), *up.parameters()))


def lora_param_count() -> int:
    return _lora_pair(4096, 4096, 8)


def lora_qv_count() -> int:
    layers, adapted_per_layer = 32, 2  # W_q and W_v
    return layers * adapted_per_layer * _lora_pair(4096, 4096, 16)


def lora_forward_value() -> float:
    x = torch.tensor([[2.0, 1.0]], dtype=torch.float64)
    weight = torch.tensor([[1.0, -1.0], [0.5, 2.0]], dtype=torch.float64)
    lora_a = torch.tensor([[1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    lora_b = torch.tensor([[0.5, 0.0], [0.0, -0.25]], dtype=torch.float64)
    rank, alpha = 2, 4
    y = F.linear(x, weight) + (alpha / rank) * F.linear(F.linear(x, lora_a), lora_b)
    merged = F.linear(x, weight + (alpha / rank) * lora_b @ lora_a)
    assert torch.allclose(y, merged)
    return y[0, 1]


def lstm_param_count() -> int:
    # torch's LSTM keeps two bias vectors per gate (bias_ih, bias_hh); Keras keeps one, so drop bias_hh.
    embedding = torch.nn.Embedding(10_000, 16)
    first = torch.nn.LSTM(16, 128, batch_first=True)
    second = torch.nn.LSTM(128, 64, batch_first=True)
    head = torch.nn.Linear(64, 1)
    total = sum(p.numel() for module in (embedding, first, second, head) for p in module.parameters())
    return total - first.bias_hh_l0.numel() - second.bias_hh_l0.numel()


def sft_loss_tokens() -> int:
    prompt, response, eos = 40, 24, 1
    length = prompt + response + eos
    labels = torch.arange(length)
    labels[:prompt] = -100
    vocab = length + 1
    logits = torch.zeros(1, length, vocab, dtype=torch.float64)  # uniform: each target costs ln V
    loss_sum = F.cross_entropy(logits[0, :-1], labels[1:], reduction="sum", ignore_index=-100)
    return round(float(loss_sum / torch.log(torch.tensor(float(vocab), dtype=torch.float64))))


def reward_model_loss() -> float:
    chosen, rejected = torch.tensor(1.5, dtype=torch.float64), torch.tensor(0.5, dtype=torch.float64)
    return -F.logsigmoid(chosen - rejected)


def dpo_loss() -> float:
    beta = 0.1
    policy_chosen, reference_chosen = -12.0, -14.0
    policy_rejected, reference_rejected = -15.0, -13.0
    margin = beta * ((policy_chosen - reference_chosen) - (policy_rejected - reference_rejected))
    return -F.logsigmoid(torch.tensor(margin, dtype=torch.float64))


RECOMPUTE = {
    "fine-tuning-lora-param-count": lora_param_count,
    "fine-tuning-lora-qv-count": lora_qv_count,
    "fine-tuning-lora-forward-value": lora_forward_value,
    "fine-tuning-003-lstm-param-count": lstm_param_count,
    "fine-tuning-sft-loss-tokens": sft_loss_tokens,
    "fine-tuning-reward-model-loss": reward_model_loss,
    "fine-tuning-dpo-loss": dpo_loss,
}
