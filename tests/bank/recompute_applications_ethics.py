"""Recompute the numeric answers of questions/applications-ethics.yaml from their definitions."""

from __future__ import annotations

import itertools
import math

import numpy as np


def laplace_noise_std() -> float:
    # Integrate x² against the Laplace(b) density, b = sensitivity / ε.
    sensitivity, epsilon = 1.0, 0.5
    b = sensitivity / epsilon
    x = np.linspace(-60 * b, 60 * b, 600_001)
    density = np.exp(-np.abs(x) / b) / (2 * b)
    integrand = x**2 * density
    variance = np.sum((integrand[1:] + integrand[:-1]) / 2 * np.diff(x))  # trapezoid rule
    return float(np.sqrt(variance))


def _randomized_response_channel() -> np.ndarray:
    """P(answer | truth) of the two-coin protocol, rows truth (yes, no), columns answer (yes, no)."""
    channel = np.zeros((2, 2))
    for truth in (0, 1):  # 0 = yes, 1 = no
        for first, second in itertools.product(("heads", "tails"), repeat=2):
            answer = truth if first == "heads" else (0 if second == "heads" else 1)
            channel[truth, answer] += 0.25
    return channel


def randomized_response_estimate() -> float:
    channel = _randomized_response_channel()
    observed_yes = 0.35
    # observed_yes = π·P(yes|yes) + (1 − π)·P(yes|no), solved for π.
    return (observed_yes - channel[1, 0]) / (channel[0, 0] - channel[1, 0])


def randomized_response_epsilon() -> float:
    channel = _randomized_response_channel()
    return float(np.max(np.abs(np.log(channel[0] / channel[1]))))


def dp_composition() -> float:
    return float(np.sum(np.full(10, 0.1)))


def gaussian_mechanism_sigma() -> float:
    sensitivity, epsilon, delta = 1.0, 0.5, 1e-5
    return sensitivity * math.sqrt(2 * math.log(1.25 / delta)) / epsilon


def disparate_impact() -> float:
    applicants = 1000
    advanced = {"A": 600, "B": 450}
    rates = [count / applicants for count in advanced.values()]
    return min(rates) / max(rates)


def fedavg_weighted() -> float:
    examples = np.array([100, 300, 600])
    local_values = np.array([1.2, 0.8, 0.5])
    return float(np.average(local_values, weights=examples))


RECOMPUTE = {
    "applications-ethics-laplace-noise-std": laplace_noise_std,
    "applications-ethics-randomized-response-estimate": randomized_response_estimate,
    "applications-ethics-randomized-response-epsilon": randomized_response_epsilon,
    "applications-ethics-dp-composition": dp_composition,
    "applications-ethics-gaussian-mechanism-sigma": gaussian_mechanism_sigma,
    "applications-ethics-disparate-impact": disparate_impact,
    "applications-ethics-fedavg-weighted": fedavg_weighted,
}
