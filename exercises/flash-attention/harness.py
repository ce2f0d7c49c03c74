"""Calls flash_attention and watches the memory it uses.

A TorchDispatchMode sees every tensor an operator creates during the call. When the sequence is
long enough for tiling to matter (L, S >= 4 × block_size, and L, S > the head dims so that q, k,
v and the output are smaller than a score matrix), a tensor whose storage holds at least
L × S elements per batch-head (any dtype, a boolean mask included) is the full score matrix or as
big as it: the call fails with ScoreMatrixTooLarge. Runs in the worker: torch only.
"""

import math

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "memory": ("memory: your call created a tensor of shape {shape} ({op}) holding {elements} elements, as many "
               "as the whole {L} × {S} score matrix for each of the {batch_heads} batch-heads ({limit}). "
               "FlashAttention's point is O(L·D) extra memory: loop over key blocks of block_size = {block_size}, "
               "keep only a block_size × block_size tile of scores, a running max and a running sum per query, "
               "and never build an L × S scores, weights or mask tensor.",
               "内存：你的调用创建了形状为 {shape} 的张量（{op}），含 {elements} 个元素，与 {batch_heads} 个 "
               "batch-head 的完整 {L} × {S} 分数矩阵一样大（{limit}）。FlashAttention 的要点是只用 O(L·D) 的额外"
               "内存：按 block_size = {block_size} 分块遍历键（K），只保留一个 block_size × block_size 的分数块，"
               "以及每个 query 的滚动最大值和滚动和，永远不要构造 L × S 的分数、权重或掩码张量。"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


class ScoreMatrixTooLarge(MemoryError):
    """The submission built a tensor as large as the whole L × S attention matrix."""


class LargestNewTensor(TorchDispatchMode):
    """Remembers the operator output with the largest storage (in elements)."""

    def __init__(self):
        super().__init__()
        self.elements, self.shape, self.op = 0, None, None

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False  # torch's default imports torch._dynamo on the first call: 1.8 s per check

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in tree_leaves(out):
            if isinstance(t, torch.Tensor) and t.element_size():
                elements = t.untyped_storage().nbytes() // t.element_size()  # views of small tensors are small
                if elements > self.elements:
                    self.elements, self.shape, self.op = elements, tuple(t.shape), str(func.overloadpacket.__name__)
        return out


def memory_is_checked(q, k, v, block_size):
    """True when the call is long enough that the L × S matrix must never exist."""
    L, S = q.size(-2), k.size(-2)
    return min(L, S) >= 4 * block_size and min(L, S) > max(q.size(-1), v.size(-1))


def run(entry, inputs):
    q, k, v = inputs["args"][:3]
    kwargs = dict(inputs["kwargs"])
    block_size = kwargs.get("block_size", 64)
    watcher = LargestNewTensor()
    with watcher:
        out = entry(q, k, v, **kwargs)
    if memory_is_checked(q, k, v, block_size):
        L, S = q.size(-2), k.size(-2)
        batch_heads = math.prod(q.shape[:-2])
        limit = batch_heads * L * S
        if watcher.elements >= limit:
            raise ScoreMatrixTooLarge(_say("memory", shape=list(watcher.shape), op=watcher.op,
                                           elements=watcher.elements, L=L, S=S, batch_heads=batch_heads,
                                           limit=limit, block_size=block_size))
    return out
