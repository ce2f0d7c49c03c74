"""`param-count` (counted on real torch modules), `kv-cache-memory` and `training-flops`."""

from __future__ import annotations

import math

import torch
from generated_checks import MANY, SEEDS, assert_explained
from hypothesis import given
from torch import nn

from llmprep.quiz.generators.sizing import GPUS, make_kv_cache_memory, make_param_count, make_training_flops


def _count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())  # parameters() lists a tied weight once


class _SwiGLU(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        self.gate = nn.Linear(d_model, d_ff, bias=False)
        self.up = nn.Linear(d_model, d_ff, bias=False)
        self.down = nn.Linear(d_ff, d_model, bias=False)


class _GPT(nn.Module):
    def __init__(self, vocab, n_ctx, d_model, n_layers, n_heads, tied):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(n_ctx, d_model)
        self.blocks = nn.ModuleList(nn.TransformerEncoderLayer(d_model, n_heads, 4 * d_model, activation="gelu",
                                                               norm_first=True) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)
        if tied:
            self.lm_head.weight = self.wte.weight


def _torch_count(params: dict) -> int:
    # On the meta device: shapes only, so a 350M-parameter model costs nothing to build.
    with torch.device("meta"):
        variant = params["variant"]
        if variant == "mha" and params["n_kv_heads"] == params["n_heads"]:
            return _count(nn.MultiheadAttention(params["d_model"], params["n_heads"], bias=params["bias"]))
        if variant == "mha":
            d, kv = params["d_model"], params["n_kv_heads"] * params["d_model"] // params["n_heads"]
            bias = params["bias"]
            return _count(nn.ModuleList([nn.Linear(d, d, bias=bias), nn.Linear(d, kv, bias=bias),
                                         nn.Linear(d, kv, bias=bias), nn.Linear(d, d, bias=bias)]))
        if variant == "ffn" and params["activation"] == "swiglu":
            return _count(_SwiGLU(params["d_model"], params["d_ff"]))
        if variant == "ffn":
            d, d_ff, bias = params["d_model"], params["d_ff"], params["bias"]
            return _count(nn.Sequential(nn.Linear(d, d_ff, bias=bias), nn.GELU(), nn.Linear(d_ff, d, bias=bias)))
        if variant == "block":
            return _count(nn.TransformerEncoderLayer(params["d_model"], params["n_heads"], params["d_ff"],
                                                     activation="gelu", norm_first=True))
        return _count(_GPT(params["vocab"], params["n_ctx"], params["d_model"], params["n_layers"],
                           params["n_heads"], params["tied_embeddings"]))


@MANY
@given(seed=SEEDS)
def test_param_count_is_the_torch_module_count(seed):
    question = make_param_count(seed)
    assert question.answer == _torch_count(question.params)
    assert isinstance(question.answer, int)
    assert_explained(question, [question.answer])


def test_param_count_covers_every_variant_and_gpt2_small():
    questions = [make_param_count(seed) for seed in range(1, 200)]
    assert {q.params["variant"] for q in questions} == {"mha", "ffn", "block", "gpt"}
    gpt2_small = [q for q in questions if q.params["variant"] == "gpt" and q.params["d_model"] == 768
                  and q.params["vocab"] == 50257]
    tied = [q for q in gpt2_small if q.params["tied_embeddings"]]
    assert tied and tied[0].answer == 124_439_808  # the published GPT-2 124M


def test_param_count_gpt_draws_both_tied_and_untied_heads():
    gpt = [q for q in map(make_param_count, range(1, 200)) if q.params["variant"] == "gpt"]
    assert {q.params["tied_embeddings"] for q in gpt} == {True, False}
    for q in gpt:
        assert ("untied" in q.prompt.en) != q.params["tied_embeddings"]


@MANY
@given(seed=SEEDS)
def test_kv_cache_is_the_size_of_the_cache_tensors(seed):
    question = make_kv_cache_memory(seed)
    p = question.params
    dtype = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16, "fp8": torch.float8_e4m3fn,
             "int8": torch.int8}[p["dtype"]]
    # One K and one V tensor per layer, (batch, kv_heads, seq, head_dim), as a KV cache holds them.
    cache = [torch.empty(p["batch"], p["kv_heads"], p["seq_len"], p["head_dim"], dtype=dtype, device="meta")
             for _ in range(2 * p["layers"])]
    total = sum(t.numel() * t.element_size() for t in cache)
    assert math.isclose(question.answer, total / 2**30, rel_tol=1e-12)
    assert question.unit is not None and question.unit.en == "GiB"
    assert_explained(question, [total, total / 2**30, total // (p["seq_len"] * p["batch"])], rel_tol=1e-4)


@MANY
@given(seed=SEEDS)
def test_training_flops_and_days_by_tokens_per_second(seed):
    question = make_training_flops(seed)
    p = question.params
    flops, days = question.answer
    assert flops == 6 * p["n_params"] * p["tokens"]
    # Second formula: tokens per second the cluster sustains, then days for all tokens.
    tokens_per_second = p["n_gpus"] * p["peak_flops"] * p["mfu"] / (6 * p["n_params"])
    assert math.isclose(days, p["tokens"] / tokens_per_second / 86400, rel_tol=1e-12)
    assert p["peak_flops"] == GPUS[p["gpu"]][0]
    assert_explained(question, [flops, p["n_gpus"] * p["peak_flops"] * p["mfu"]], rel_tol=1e-3)
    assert_explained(question, [days], abs_tol=0, rel_tol=1e-3)


def test_training_flops_uses_datasheet_peaks():
    assert GPUS["A100 SXM"][0] == 312e12 and GPUS["H100 SXM"][0] == 989e12
    assert all(peak < 2e15 for peak, _ in GPUS.values())  # dense, not the with-sparsity figures
