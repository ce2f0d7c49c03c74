"""Numeric answers of questions/distributed-training.yaml, recomputed from first principles.

Collectives and schedules are simulated (a ring all-reduce on numpy arrays, a GPipe timetable,
a tensor-parallel transformer in torch that counts its own all-reduces) rather than read off a formula.
"""

from __future__ import annotations

import numpy as np
import torch

GB = 1e9


def _bytes_per_element(dtype: torch.dtype) -> int:
    return torch.empty(0, dtype=dtype).element_size()


# Mixed-precision Adam: fp16 weights and gradients, fp32 master weights, momentum and variance.
MIXED_ADAM_STATES = {
    "weights": torch.float16,
    "gradients": torch.float16,
    "master_weights": torch.float32,
    "momentum": torch.float32,
    "variance": torch.float32,
}


def mixed_precision_adam_bytes() -> float:
    """16 bytes per parameter of model state, for 7.5B parameters, in GB."""
    per_parameter = sum(_bytes_per_element(dtype) for dtype in MIXED_ADAM_STATES.values())
    return per_parameter * 7.5e9 / GB


def zero2_memory() -> float:
    """ZeRO stage 2 on 64 GPUs: weights replicated, gradients and optimizer states sharded."""
    parameters, ranks = 7.5e9, 64
    sharded = {"gradients", "master_weights", "momentum", "variance"}
    total = 0.0
    for state, dtype in MIXED_ADAM_STATES.items():
        share = 1 / ranks if state in sharded else 1.0
        total += _bytes_per_element(dtype) * parameters * share
    return total / GB


def global_batch_tokens() -> int:
    """Tokens per optimizer step for 4x8 GPUs, TP 4, PP 1, micro-batch 4x2048, 16 accumulation steps."""
    gpus = 4 * 8
    tensor_parallel, pipeline_parallel = 4, 1
    data_parallel = gpus // (tensor_parallel * pipeline_parallel)
    sequences = 4 * 16 * data_parallel
    return sequences * 2048


def _ring_all_reduce(tensors: list[np.ndarray]) -> tuple[list[np.ndarray], list[int]]:
    """Ring all-reduce (reduce-scatter, then all-gather); returns the results and elements sent per rank."""
    n = len(tensors)
    chunks = [np.array_split(t.astype(np.float64), n) for t in tensors]
    sent = [0] * n
    # Reduce-scatter: at step s, rank r sends chunk (r - s) to rank r + 1, which adds it to its own.
    for step in range(n - 1):
        outgoing = [(r, (r - step) % n, chunks[r][(r - step) % n].copy()) for r in range(n)]
        for rank, index, data in outgoing:
            chunks[(rank + 1) % n][index] += data
            sent[rank] += data.size
    # Now rank r owns the fully reduced chunk (r + 1); all-gather passes the owned chunks round.
    for step in range(n - 1):
        outgoing = [(r, (r + 1 - step) % n, chunks[r][(r + 1 - step) % n].copy()) for r in range(n)]
        for rank, index, data in outgoing:
            chunks[(rank + 1) % n][index] = data
            sent[rank] += data.size
    return [np.concatenate(c) for c in chunks], sent


def ring_all_reduce_bytes() -> float:
    """GB each of 8 GPUs sends to all-reduce the fp16 gradients of a 1.3B-parameter model."""
    ranks, elements = 8, 8 * 1000
    rng = np.random.default_rng(0)
    tensors = [rng.standard_normal(elements) for _ in range(ranks)]
    results, sent = _ring_all_reduce(tensors)
    expected = np.sum(tensors, axis=0)
    assert all(np.allclose(r, expected) for r in results), "the simulated ring all-reduce is wrong"
    assert len(set(sent)) == 1
    fraction_sent = sent[0] / elements  # independent of the tensor's size
    gradient_bytes = 1.3e9 * _bytes_per_element(torch.float16)
    return fraction_sent * gradient_bytes / GB


def _gpipe_makespan(stages: int, micro_batches: int) -> int:
    """Time slots of one GPipe phase: micro-batch j on stage s waits for stage s-1 and for micro-batch j-1."""
    finish = np.zeros((stages, micro_batches), dtype=int)
    for s in range(stages):
        for j in range(micro_batches):
            ready = max(finish[s - 1, j] if s else 0, finish[s, j - 1] if j else 0)
            finish[s, j] = ready + 1
    return int(finish[-1, -1])


def pipeline_bubble() -> float:
    """Idle fraction of each stage for p = 4, m = 8 (forward phase then the mirrored backward phase)."""
    stages, micro_batches = 4, 8
    total = 2 * _gpipe_makespan(stages, micro_batches)
    busy = 2 * micro_batches
    return 1 - busy / total


class _CountingCollectives:
    """Megatron's f and g operators on simulated ranks (a list of tensors), counting every all-reduce."""

    def __init__(self):
        self.all_reduces = 0
        counter = self

        class CopyToRanks(torch.autograd.Function):  # f: identity forward, all-reduce backward
            @staticmethod
            def forward(ctx, x, ranks):
                return tuple(x.clone() for _ in range(ranks))

            @staticmethod
            def backward(ctx, *grads):
                counter.all_reduces += 1
                return torch.stack(grads).sum(0), None

        class ReduceFromRanks(torch.autograd.Function):  # g: all-reduce forward, identity backward
            @staticmethod
            def forward(ctx, *partials):
                counter.all_reduces += 1
                ctx.ranks = len(partials)
                return torch.stack(partials).sum(0)

            @staticmethod
            def backward(ctx, grad):
                return tuple(grad for _ in range(ctx.ranks))

        self.f, self.g = CopyToRanks.apply, ReduceFromRanks.apply


def _tensor_parallel_layer(x, layer, ranks, ops):
    """One pre-LN-free transformer layer, attention split by heads and MLP column-then-row, over `ranks`."""
    seq, width = x.shape
    heads_per_rank = layer["heads"] // ranks
    head_dim = width // layer["heads"]
    causal = torch.full((seq, seq), float("-inf")).triu(1)
    partials = []
    for rank, xr in enumerate(ops.f(x, ranks)):
        cols = slice(rank * heads_per_rank * head_dim, (rank + 1) * heads_per_rank * head_dim)
        q, k, v = (xr @ w[:, cols] for w in (layer["wq"], layer["wk"], layer["wv"]))
        q, k, v = (t.view(seq, heads_per_rank, head_dim).transpose(0, 1) for t in (q, k, v))
        attn = torch.softmax(q @ k.transpose(1, 2) / head_dim**0.5 + causal, dim=-1) @ v
        partials.append(attn.transpose(0, 1).reshape(seq, -1) @ layer["wo"][cols, :])  # row-parallel
    x = x + ops.g(*partials)
    hidden = layer["a"].shape[1] // ranks
    partials = []
    for rank, xr in enumerate(ops.f(x, ranks)):
        cols = slice(rank * hidden, (rank + 1) * hidden)
        partials.append(torch.nn.functional.gelu(xr @ layer["a"][:, cols]) @ layer["b"][cols, :])
    return x + ops.g(*partials)


def _dense_layer(x, layer):
    seq, width = x.shape
    heads, head_dim = layer["heads"], width // layer["heads"]
    causal = torch.full((seq, seq), float("-inf")).triu(1)
    q, k, v = ((x @ w).view(seq, heads, head_dim).transpose(0, 1) for w in (layer["wq"], layer["wk"], layer["wv"]))
    attn = torch.softmax(q @ k.transpose(1, 2) / head_dim**0.5 + causal, dim=-1) @ v
    x = x + attn.transpose(0, 1).reshape(seq, width) @ layer["wo"]
    return x + torch.nn.functional.gelu(x @ layer["a"]) @ layer["b"]


def tensor_parallel_all_reduces() -> int:
    """All-reduces in forward + backward of a 24-layer GPT under Megatron tensor parallelism."""
    torch.manual_seed(0)
    layers, width, heads, ranks, seq = 24, 8, 4, 2, 5
    params = [
        {"heads": heads, **{name: (torch.randn(shape, dtype=torch.float64) * 0.2).requires_grad_()
                            for name, shape in (("wq", (width, width)), ("wk", (width, width)),
                                                ("wv", (width, width)), ("wo", (width, width)),
                                                ("a", (width, 4 * width)), ("b", (4 * width, width)))}}
        for _ in range(layers)
    ]
    # The input stands for the embedding output, which needs a gradient too (f's backward all-reduce).
    x = torch.randn(seq, width, dtype=torch.float64, requires_grad=True)
    ops = _CountingCollectives()
    split, dense = x, x
    for layer in params:
        split = _tensor_parallel_layer(split, layer, ranks, ops)
        dense = _dense_layer(dense, layer)
    assert torch.allclose(split, dense), "the tensor-parallel split changed the result"
    split.square().sum().backward()
    return ops.all_reduces


RECOMPUTE = {
    "distributed-training-mixed-precision-adam-bytes": mixed_precision_adam_bytes,
    "distributed-training-zero2-memory": zero2_memory,
    "distributed-training-global-batch-tokens": global_batch_tokens,
    "distributed-training-ring-all-reduce-bytes": ring_all_reduce_bytes,
    "distributed-training-pipeline-bubble": pipeline_bubble,
    "distributed-training-tensor-parallel-all-reduces": tensor_parallel_all_reduces,
}
