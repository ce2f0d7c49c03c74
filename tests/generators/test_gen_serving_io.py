"""`speculative-acceptance` (expectation by enumerating accept/reject patterns), `paged-kv-blocks` (an
allocator simulated token by token) and `flash-attention-io` (Algorithm 0 and 1 walked loop by loop)."""

from __future__ import annotations

import itertools
import math

from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given

from llmprep.quiz.generators.flash_io import make_flash_attention_io
from llmprep.quiz.generators.serving import make_paged_kv_blocks, make_speculative_acceptance


def _expected_tokens_by_enumeration(alpha: float, gamma: int) -> float:
    """Each draft token is accepted with probability α until the first rejection; the target adds one token."""
    expected = 0.0
    for outcome in itertools.product([True, False], repeat=gamma):
        probability = math.prod(alpha if accepted else 1 - alpha for accepted in outcome)
        accepted_prefix = next((i for i, accepted in enumerate(outcome) if not accepted), gamma)
        expected += probability * (accepted_prefix + 1)
    return expected


@MANY
@given(seed=SEEDS)
def test_speculative_acceptance_matches_enumeration(seed):
    question = make_speculative_acceptance(seed)
    p = question.params
    tokens = _expected_tokens_by_enumeration(p["alpha"], p["gamma"])
    speedup = tokens / (p["gamma"] * p["cost"] + 1)
    assert math.isclose(question.answer, tokens if p["ask"] == "tokens" else speedup, rel_tol=1e-9)
    assert 1 < tokens < p["gamma"] + 1
    assert_explained(question, [tokens, speedup])


def test_speculative_acceptance_asks_both():
    assert {make_speculative_acceptance(seed).params["ask"] for seed in range(1, 30)} == {"tokens", "speedup"}


def _allocate(lengths: list[int], block: int) -> tuple[int, int]:
    tables: list[list[int]] = []
    for length in lengths:
        table, free = [], 0
        for _ in range(length):
            if free == 0:
                table.append(block)
                free = block
            free -= 1
        tables.append(table)
    blocks = sum(len(t) for t in tables)
    return blocks, blocks * block - sum(lengths)


@MANY
@given(seed=SEEDS)
def test_paged_kv_blocks_matches_an_allocator(seed):
    question = make_paged_kv_blocks(seed)
    p = question.params
    blocks, waste = _allocate(p["lengths"], p["block"])
    assert question.answer == (blocks if p["ask"] == "blocks" else waste)
    assert 0 <= waste < len(p["lengths"]) * p["block"]
    assert_explained(question, [blocks, waste])


def _walk_standard(n: int, d: int) -> int:
    q_k = 2 * n * d
    s_written, s_read, p_written, p_read = n * n, n * n, n * n, n * n
    v_read, o_written = n * d, n * d
    return q_k + s_written + s_read + p_written + p_read + v_read + o_written


def _walk_flash(n: int, d: int, sram: int) -> int:
    block_c = -(-sram // (4 * d))
    block_r = min(block_c, d)
    accesses = 0
    for j in range(0, n, block_c):
        cols = min(block_c, n - j)
        accesses += 2 * cols * d  # load K_j, V_j
        for i in range(0, n, block_r):
            rows = min(block_r, n - i)
            accesses += 2 * rows * d + 2 * rows  # load Q_i, O_i, ℓ_i, m_i
            accesses += rows * d + 2 * rows  # write O_i, ℓ_i, m_i
    return accesses


@MANY
@given(seed=SEEDS)
def test_flash_attention_io_matches_the_algorithms_walked(seed):
    question = make_flash_attention_io(seed)
    p = question.params
    standard, flash = _walk_standard(p["n"], p["d"]), _walk_flash(p["n"], p["d"], p["sram"])
    expected = {"standard": standard / 1e6, "flash": flash / 1e6, "ratio": standard / flash}[p["ask"]]
    assert math.isclose(question.answer, expected, rel_tol=1e-12)
    assert flash < standard
    assert_explained(question, [standard, flash], abs_tol=0.5)


def test_flash_attention_io_asks_each_quantity():
    assert {make_flash_attention_io(seed).params["ask"] for seed in range(1, 40)} == {"standard", "flash", "ratio"}
