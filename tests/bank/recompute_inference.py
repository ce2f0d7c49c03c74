"""Numeric answers of questions/inference.yaml, recomputed from first principles.

Decoding rules are implemented (a generation loop, top-k, top-p, beam search, the speculative
acceptance process) and run on the question's numbers; cache sizes come from allocating the cache
tensors on torch's meta device, which has shapes and dtypes but no storage.
"""

from __future__ import annotations

import itertools

import torch

GIB = 2**30


def max_length_counts_the_prompt() -> int:
    """New tokens that generate(max_length=50) can add after a 38-token prompt."""
    sequence = list(range(38))  # the prompt's token ids
    max_length = 50
    generated = 0
    while len(sequence) < max_length:  # max_length bounds prompt + continuation
        sequence.append(0)
        generated += 1
    return generated


def temperature_probability() -> float:
    """P(first token) for logits [2, 1, 0] at temperature 0.5."""
    logits = torch.tensor([2.0, 1.0, 0.0], dtype=torch.float64)
    return torch.softmax(logits / 0.5, dim=-1)[0]


def _top_k(probs: torch.Tensor, k: int) -> torch.Tensor:
    kept = torch.zeros_like(probs)
    values, indices = probs.topk(k)
    kept[indices] = values
    return kept / kept.sum()


def top_k_renormalize() -> float:
    """P(second token) of [0.5, 0.2, 0.15, 0.1, 0.05] under top-k with k = 2."""
    probs = torch.tensor([0.5, 0.2, 0.15, 0.1, 0.05], dtype=torch.float64)
    return _top_k(probs, 2)[1]


def _top_p(probs: torch.Tensor, p: float) -> torch.Tensor:
    sorted_probs, order = probs.sort(descending=True)
    mass_before = sorted_probs.cumsum(0) - sorted_probs
    keep_sorted = mass_before < p  # a token stays if the mass before it has not yet reached p
    kept = torch.zeros_like(probs)
    kept[order[keep_sorted]] = sorted_probs[keep_sorted]
    return kept / kept.sum()


def top_p_renormalize() -> float:
    """P(the 0.15 token) of [0.4, 0.25, 0.15, 0.1, 0.06, 0.04] under top-p with p = 0.75."""
    probs = torch.tensor([0.4, 0.25, 0.15, 0.1, 0.06, 0.04], dtype=torch.float64)
    return _top_p(probs, 0.75)[2]


def _kv_cache_bytes(layers: int, batch: int, kv_heads: int, seq: int, head_dim: int) -> int:
    cache = torch.empty((layers, 2, batch, kv_heads, seq, head_dim), dtype=torch.float16, device="meta")
    return cache.numel() * cache.element_size()


def kv_cache_bytes_llama2_7b() -> float:
    """GiB of fp16 KV cache for Llama-2-7B (32 layers, 32 KV heads of 4096/32), one 4,096-token sequence."""
    return _kv_cache_bytes(layers=32, batch=1, kv_heads=32, seq=4096, head_dim=4096 // 32) / GIB


def kv_cache_capacity_llama2_70b() -> int:
    """Complete 4,096-token sequences of Llama-2-70B's fp16 KV cache (8 KV heads) that fit in 20e9 bytes."""
    per_sequence = _kv_cache_bytes(layers=80, batch=1, kv_heads=8, seq=4096, head_dim=128)
    return int(20e9 // per_sequence)


# The toy model of inference-beam-search-vs-greedy: next-token probabilities given the prefix.
TOY_MODEL = {
    (): {"A": 0.5, "B": 0.4, "C": 0.1},
    ("A",): {"x": 0.4, "y": 0.3, "z": 0.3},
    ("B",): {"x": 0.9, "y": 0.05, "z": 0.05},
    ("C",): {"x": 1.0},
}


def _beam_search(model: dict, width: int, steps: int) -> tuple[tuple[str, ...], float]:
    beams = [((), 1.0)]
    for _ in range(steps):
        candidates = [(prefix + (token,), prob * p) for prefix, prob in beams for token, p in model[prefix].items()]
        beams = sorted(candidates, key=lambda c: c[1], reverse=True)[:width]
    return beams[0]


def beam_search_vs_greedy() -> float:
    """Probability of the best sequence found with beam width 2 (width 1, greedy, finds 0.2)."""
    greedy = _beam_search(TOY_MODEL, width=1, steps=2)
    best = _beam_search(TOY_MODEL, width=2, steps=2)
    assert best[1] > greedy[1], "the example should show beam search beating greedy decoding"
    return best[1]


def speculative_expected_tokens() -> float:
    """Expected tokens per target forward for gamma = 4 drafts accepted independently with alpha = 0.8."""
    gamma, alpha = 4, 0.8
    expected = 0.0
    for outcome in itertools.product((True, False), repeat=gamma):  # accept/reject of each draft
        probability = 1.0
        for accepted in outcome:
            probability *= alpha if accepted else 1 - alpha
        accepted_prefix = next((i for i, accepted in enumerate(outcome) if not accepted), gamma)
        expected += probability * (accepted_prefix + 1)  # + the target's own token
    return expected


RECOMPUTE = {
    "inference-max-length-counts-the-prompt": max_length_counts_the_prompt,
    "inference-temperature-probability": temperature_probability,
    "inference-top-k-renormalize": top_k_renormalize,
    "inference-top-p-renormalize": top_p_renormalize,
    "inference-kv-cache-bytes-llama2-7b": kv_cache_bytes_llama2_7b,
    "inference-kv-cache-capacity-llama2-70b": kv_cache_capacity_llama2_70b,
    "inference-beam-search-vs-greedy": beam_search_vs_greedy,
    "inference-speculative-expected-tokens": speculative_expected_tokens,
}
