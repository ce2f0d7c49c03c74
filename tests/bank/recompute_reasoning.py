"""Numeric answers of questions/reasoning.yaml: pass@k by enumerating subsets, votes by enumerating outcomes."""

from __future__ import annotations

import itertools
import math


def pass_at_k_by_subsets(n: int, c: int, k: int) -> float:
    """The share of k-subsets of the n samples (c of them correct) that contain a correct one."""
    samples = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(range(n), k))
    return sum(any(samples[i] for i in subset) for subset in subsets) / len(subsets)


def majority_of_three(p: float) -> float:
    total = 0.0
    for outcome in itertools.product([True, False], repeat=3):
        probability = math.prod(p if right else 1 - p for right in outcome)
        if sum(outcome) >= 2:  # wrong answers never agree, so only a correct majority can win
            total += probability
    return total


RECOMPUTE = {
    "reasoning-pass-at-k-five": lambda: pass_at_k_by_subsets(10, 3, 5),
    "reasoning-pass-at-k-ten": lambda: pass_at_k_by_subsets(20, 2, 10),
    "reasoning-pass-at-one": lambda: pass_at_k_by_subsets(16, 5, 1),
    "reasoning-best-of-n-coverage": lambda: 1 - math.prod([0.7] * 8),
    "reasoning-majority-vote-three": lambda: majority_of_three(0.6),
    "reasoning-cot-compute": lambda: 2 * 70e9 * 5000,
    "reasoning-prm-solution-score": lambda: math.prod([0.9, 0.8, 0.95]),
}
