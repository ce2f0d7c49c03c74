"""Numeric answers of questions/agents-rag.yaml, recomputed from ranked lists and vectors (torch)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def _rrf(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for position, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + position)
    return scores


def _average_precision(relevant_ranks: list[int], total_relevant: int, depth: int = 10) -> float:
    hits, precisions = 0, []
    for rank in range(1, depth + 1):
        if rank in relevant_ranks:
            hits += 1
            precisions.append(hits / rank)
    return sum(precisions) / total_relevant


def _in_batch_negatives(batch: int) -> int:
    # Row i of the B×B score matrix pairs question i with every positive; all but the diagonal are negatives.
    is_negative = ~torch.eye(batch, dtype=torch.bool)
    return int(is_negative[0].sum().item())


RECOMPUTE = {
    "agents-rag-rrf-score": lambda: _rrf([["d", "x", "y"], ["x", "y", "d"]])["d"],
    "agents-rag-recall-at-k": lambda: len({"r1", "r2"} & {"r1", "r2", "r3"}) / 3,
    "agents-rag-precision-at-10": lambda: sum([1, 0, 1, 0, 0, 1, 0, 0, 1, 0]) / 10,
    "agents-rag-average-precision": lambda: _average_precision([1, 3, 6], 3),
    "agents-rag-cosine-similarity": lambda: F.cosine_similarity(
        torch.tensor([[1.0, 2.0, 2.0]], dtype=torch.float64), torch.tensor([[2.0, 0.0, 1.0]], dtype=torch.float64)).item(),
    "agents-rag-rag-index-memory": lambda: torch.empty(0, dtype=torch.float32).element_size() * 21e6 * 768 / 1e9,
    "agents-rag-dpr-in-batch-negatives": lambda: _in_batch_negatives(128),
    "agents-rag-rrf-rank-two-lists": lambda: (lambda s: s["B"] - s["A"])(_rrf([["A", "B"], ["C", "B"]])),
}
