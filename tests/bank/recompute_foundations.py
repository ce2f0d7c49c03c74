"""Recompute the numeric answers of questions/foundations.yaml from first principles."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

CORPUS = ["<s> I like tea </s>", "<s> I like coffee </s>", "<s> you like tea </s>"]


def _bigram_model(sentences: list[str]):
    """Maximum-likelihood bigram probabilities P(word | previous), counted from the sentences."""
    pairs, contexts = Counter(), Counter()
    for sentence in sentences:
        tokens = sentence.split()
        pairs.update(pairwise(tokens))
        contexts.update(tokens[:-1])
    return lambda previous, word: pairs[(previous, word)] / contexts[previous]


def bigram_conditional() -> float:
    return _bigram_model(CORPUS)("like", "tea")


def bigram_sentence_probability() -> float:
    probability = _bigram_model(CORPUS)
    tokens = "<s> I like tea </s>".split()
    result = 1.0
    for previous, word in pairwise(tokens):
        result *= probability(previous, word)
    return result


def ngram_sparsity() -> float:
    vocabulary, order = 50_000, 3
    return float(vocabulary) ** order


def bert_base_parameters() -> int:
    # Build BERT-base from torch modules on the meta device (no memory) and count what torch counts.
    import torch
    from torch import nn

    d_model, d_ff, layers = 768, 3072, 12
    with torch.device("meta"):
        embeddings = nn.ModuleList([nn.Embedding(30522, d_model), nn.Embedding(512, d_model),
                                    nn.Embedding(2, d_model), nn.LayerNorm(d_model)])
        layer = nn.ModuleList([*(nn.Linear(d_model, d_model) for _ in range(4)), nn.LayerNorm(d_model),
                               nn.Linear(d_model, d_ff), nn.Linear(d_ff, d_model), nn.LayerNorm(d_model)])
        pooler = nn.Linear(d_model, d_model)

    def count(module: nn.Module) -> int:
        return sum(p.numel() for p in module.parameters())

    return count(embeddings) + layers * count(layer) + count(pooler)


RECOMPUTE = {
    "foundations-bigram-conditional": bigram_conditional,
    "foundations-bigram-sentence-probability": bigram_sentence_probability,
    "foundations-ngram-sparsity": ngram_sparsity,
    "foundations-bert-base-parameters": bert_base_parameters,
}
