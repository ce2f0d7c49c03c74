"""Recompute the numeric answers of questions/evaluation.yaml from their definitions."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall)


def f1_from_counts() -> float:
    tp, fp, fn = 40, 10, 20
    return _f1(tp / (tp + fp), tp / (tp + fn))


def f1_harmonic_not_arithmetic() -> float:
    return _f1(0.9, 0.1)


def auc_from_scores() -> float:
    # Area under the ROC staircase, traced threshold by threshold (not the pair-counting shortcut).
    positives = np.array([0.9, 0.8, 0.4])
    negatives = np.array([0.7, 0.5, 0.3, 0.2])
    thresholds = np.concatenate([[np.inf], np.sort(np.concatenate([positives, negatives]))[::-1]])
    tpr = np.array([(positives >= t).mean() for t in thresholds])
    fpr = np.array([(negatives >= t).mean() for t in thresholds])
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def perplexity_from_probs() -> float:
    probs = np.array([0.5, 0.25, 0.125, 0.5])
    return float(np.exp(-np.log(probs).mean()))


def perplexity_from_loss() -> float:
    return math.exp(3.0)


def accuracy_divided_by_batches() -> float:
    examples, batch_size, correct = 25_000, 64, 22_500
    batches = len(range(0, examples, batch_size))  # what len(iterator) counts
    return correct / batches


def bleu_clipped_precision() -> float:
    reference = "the cat is on the mat".split()
    candidate = ["the"] * 7
    reference_counts = Counter(reference)
    clipped = sum(min(count, reference_counts[word]) for word, count in Counter(candidate).items())
    return clipped / len(candidate)


def bleu_brevity_penalty() -> float:
    candidate_length, reference_length = 15, 20
    return 1.0 if candidate_length > reference_length else math.exp(1 - reference_length / candidate_length)


RECOMPUTE = {
    "evaluation-f1-from-counts": f1_from_counts,
    "evaluation-f1-harmonic-not-arithmetic": f1_harmonic_not_arithmetic,
    "evaluation-auc-from-scores": auc_from_scores,
    "evaluation-perplexity-from-probs": perplexity_from_probs,
    "evaluation-perplexity-from-loss": perplexity_from_loss,
    "evaluation-accuracy-divided-by-batches": accuracy_divided_by_batches,
    "evaluation-bleu-clipped-precision": bleu_clipped_precision,
    "evaluation-bleu-brevity-penalty": bleu_brevity_penalty,
}
