"""Recompute the numeric answers of questions/prompt-engineering.yaml from their definitions."""

from __future__ import annotations

import itertools

import numpy as np
import torch


def context_budget() -> int:
    # Pack demonstrations one by one until the next one would overflow the window.
    window, instruction, query, answer_room, demo = 2048, 48, 60, 100, 120
    demos = 0
    while instruction + (demos + 1) * demo + query + answer_room <= window:
        demos += 1
    return demos


def self_consistency_vote() -> float:
    # Enumerate all 2^5 right/wrong outcomes of the sampled chains; the vote is right on a strict majority.
    p, samples = 0.6, 5
    total = 0.0
    for outcome in itertools.product([True, False], repeat=samples):
        right = sum(outcome)
        if right > samples - right:
            total += p**right * (1 - p) ** (samples - right)
    return total


def contextual_calibration() -> float:
    p_cf = np.array([0.7, 0.3])
    p = np.array([0.6, 0.4])
    scores = np.diag(1 / p_cf) @ p
    q = np.exp(scores - scores.max())
    q /= q.sum()
    return float(q[1])


def prefix_tuning_params() -> int:
    layers, prefix, d_model = 24, 10, 1024
    prefix_keys_and_values = torch.empty(layers, 2, prefix, d_model, device="meta")
    return prefix_keys_and_values.numel()


def shared_prefix_kv_cache_mib() -> float:
    layers, heads, head_dim, tokens = 32, 32, 128, 1500
    cache = torch.empty(2, layers, heads, tokens, head_dim, dtype=torch.float16, device="meta")  # K and V
    return cache.numel() * cache.element_size() / 2**20


def best_of_30_test_scores() -> float:
    """E[max of 30 independent Binomial(200, 0.7)/200 scores], from the distribution of the maximum."""
    n, p, candidates = 200, 0.7, 30
    k = torch.arange(n + 1, dtype=torch.float64)
    pmf = torch.distributions.Binomial(total_count=n, probs=torch.tensor(p, dtype=torch.float64)).log_prob(k).exp()
    cdf = pmf.cumsum(0)
    max_pmf = cdf**candidates - torch.cat([torch.zeros(1, dtype=torch.float64), cdf[:-1]]) ** candidates
    return (k * max_pmf).sum().item() / n


RECOMPUTE = {
    "prompt-engineering-test-set-tuning": best_of_30_test_scores,
    "prompt-engineering-context-budget": context_budget,
    "prompt-engineering-self-consistency-vote": self_consistency_vote,
    "prompt-engineering-contextual-calibration": contextual_calibration,
    "prompt-engineering-prefix-tuning-params": prefix_tuning_params,
    "prompt-engineering-shared-prefix-kv-cache": shared_prefix_kv_cache_mib,
}
