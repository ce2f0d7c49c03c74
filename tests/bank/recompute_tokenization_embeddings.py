"""Recompute the numeric answers of questions/tokenization-embeddings.yaml from first principles."""

from __future__ import annotations

import math
from collections import Counter
from itertools import pairwise

# The toy corpus of the BPE and WordPiece questions: word -> frequency.
CORPUS = {"hug": 10, "pug": 5, "pun": 12, "bun": 4, "hugs": 5}


def _merge(symbols: list[str], pair: tuple[str, str]) -> list[str]:
    merged, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            merged.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return merged


def learn_bpe(corpus: dict[str, int], merges: int) -> list[tuple[str, str]]:
    """BPE training (Sennrich et al. 2016): repeatedly merge the most frequent adjacent pair."""
    words = {word: list(word) for word in corpus}
    learned = []
    for _ in range(merges):
        counts = Counter()
        for word, frequency in corpus.items():
            for pair in pairwise(words[word]):
                counts[pair] += frequency
        best = max(counts.values())
        tied = [pair for pair, count in counts.items() if count == best]
        assert len(tied) == 1, f"the question assumes no tie, got {tied}"
        learned.append(tied[0])
        words = {word: _merge(symbols, tied[0]) for word, symbols in words.items()}
    return learned


def bpe_apply() -> int:
    merges = learn_bpe(CORPUS, 4)
    assert merges == [("u", "g"), ("u", "n"), ("h", "ug"), ("p", "un")]  # the order the order-question states
    symbols = list("bugs")
    for pair in merges:
        symbols = _merge(symbols, pair)
    return len(symbols)


def wordpiece_score() -> float:
    units, pairs = Counter(), Counter()
    for word, frequency in CORPUS.items():
        pieces = [word[0]] + ["##" + char for char in word[1:]]
        for piece in pieces:
            units[piece] += frequency
        for pair in pairwise(pieces):
            pairs[pair] += frequency
    return pairs[("##u", "##g")] / (units["##u"] * units["##g"])


def sqrt_dmodel() -> float:
    return math.sqrt(512)


def weight_tying_saving() -> int:
    import torch
    from torch import nn

    with torch.device("meta"):
        output_layer = nn.Linear(768, 50257, bias=False)
    return output_layer.weight.numel()


def table_memory_mib() -> float:
    import torch

    table = torch.empty(32_000, 4096, dtype=torch.bfloat16, device="meta")
    return table.numel() * table.element_size() / 2**20


def utf8_bytes() -> int:
    return len("大模型面试".encode())


RECOMPUTE = {
    "tokenization-embeddings-sqrt-dmodel": sqrt_dmodel,
    "tokenization-embeddings-weight-tying-saving": weight_tying_saving,
    "tokenization-embeddings-table-memory": table_memory_mib,
    "tokenization-embeddings-bpe-apply": bpe_apply,
    "tokenization-embeddings-utf8-bytes": utf8_bytes,
    "tokenization-embeddings-wordpiece-score": wordpiece_score,
}
