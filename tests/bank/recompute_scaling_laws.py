"""Numeric answers of questions/scaling-laws.yaml.

The compute-optimal sizes are found by bisection on the compute constraint, not by solving
C = 120 N² in closed form; the loss fits are evaluated in float64 with numpy.
"""

from __future__ import annotations

import numpy as np

CHINCHILLA_FIT = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def chinchilla_loss(n: float, d: float) -> float:
    f = CHINCHILLA_FIT
    return float(f["E"] + f["A"] / np.float64(n) ** f["alpha"] + f["B"] / np.float64(d) ** f["beta"])


def size_at_20_tokens(compute: float) -> tuple[float, float]:
    """N and D = 20N such that 6·N·D equals the budget, by root finding on log N."""
    low, high = 0.0, 60.0  # log N
    for _ in range(200):
        middle = (low + high) / 2
        n = np.exp(middle)
        low, high = (middle, high) if 6 * n * 20 * n < compute else (low, middle)
    n = float(np.exp(low))
    return n, 20 * n


RECOMPUTE = {
    "scaling-laws-chinchilla-optimal-n": lambda: size_at_20_tokens(5.76e23)[0] / 1e9,
    "scaling-laws-chinchilla-tokens-for-7b": lambda: 20 * 7e9 / 1e9,
    "scaling-laws-llama2-7b-compute": lambda: 6 * 7e9 * 2e12,
    "scaling-laws-chinchilla-loss-fit": lambda: chinchilla_loss(70e9, 1.4e12),
    "scaling-laws-gopher-loss-fit": lambda: chinchilla_loss(280e9, 300e9),
    "scaling-laws-llama3-tokens-per-param": lambda: 15e12 / 8e9,
    "scaling-laws-kaplan-loss-of-n": lambda: float(np.exp(0.076 * np.log(8.8e13 / 1e9))),
    "scaling-laws-chinchilla-n-growth": lambda: size_at_20_tokens(10e23)[0] / size_at_20_tokens(1e23)[0],
    "scaling-laws-kaplan-n-growth": lambda: float(np.power(10.0, 0.73)),
    "scaling-laws-tokens-for-1e24": lambda: size_at_20_tokens(1e24)[1] / 1e12,
}
