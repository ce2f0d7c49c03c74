"""Recompute the numeric answers of questions/pretraining-objectives.yaml by simulating the objectives."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

MLM_SELECT, MLM_MASK, MLM_RANDOM = 0.15, 0.8, 0.1  # BERT §3.1; the rest of the chosen stay unchanged


def mlm_mask_token_count() -> float:
    return 512 * MLM_SELECT * MLM_MASK


def mlm_corrupted_fraction() -> float:
    return MLM_SELECT * (MLM_MASK + MLM_RANDOM)


def _causal_targets(lengths: list[int], padded_to: int) -> int:
    """How many targets a shifted, padding-ignoring cross-entropy really averages over."""
    vocab = padded_to + 1
    labels = torch.full((len(lengths), padded_to), -100)  # -100 at padding
    for row, length in enumerate(lengths):
        labels[row, :length] = torch.arange(1, length + 1)
    logits = torch.zeros(len(lengths), padded_to, vocab, dtype=torch.float64)  # uniform: each target costs ln V
    shifted_logits, shifted_labels = logits[:, :-1], labels[:, 1:]
    total = F.cross_entropy(shifted_logits.reshape(-1, vocab), shifted_labels.reshape(-1), reduction="sum")
    return round(float(total) / float(np.log(vocab)))


def causal_target_count() -> int:
    return _causal_targets([1025] * 8, 1025)


def padded_target_count() -> int:
    return _causal_targets([6, 9, 3, 10], 10)


def span_corruption_input_length() -> int:
    tokens = list(range(500))
    n_corrupt = round(0.15 * len(tokens))
    n_spans = n_corrupt // 3
    starts = np.linspace(0, len(tokens) - 3, n_spans).astype(int)  # spaced far enough apart not to touch
    assert np.all(np.diff(starts) > 3)
    corrupted, position = [], 0
    for span, start in enumerate(starts):
        corrupted += tokens[position:start] + [f"<extra_id_{span}>"]
        position = start + 3
    corrupted += tokens[position:]
    return len(corrupted)


def electra_target_ratio() -> float:
    sequence = 512
    return (sequence - 1) / (MLM_SELECT * sequence)


RECOMPUTE = {
    "pretraining-objectives-mlm-mask-token-count": mlm_mask_token_count,
    "pretraining-objectives-mlm-corrupted-fraction": mlm_corrupted_fraction,
    "pretraining-objectives-causal-target-count": causal_target_count,
    "pretraining-objectives-padded-target-count": padded_target_count,
    "pretraining-objectives-span-corruption-input-length": span_corruption_input_length,
    "pretraining-objectives-electra-target-ratio": electra_target_ratio,
}
