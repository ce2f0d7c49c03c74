"""One cache slot shared by every block: each block attends to the keys and values of the last block.

fact: wrong only when the model has more than one block (right with a single layer)
named_if: only .*(layer|block)|n_layers
"""
import math

import torch


def _attend(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(-1) @ v


def _step(model, ids, start, cache):
    T = ids.shape[1]
    x = model.wte(ids) + model.wpe(torch.arange(start, start + T))
    for block in model.blocks:
        h = block.ln_1(x)
        q, k, v = block.attn.qkv(h).chunk(3, dim=-1)
        q, k, v = block.attn.split_heads(q), block.attn.split_heads(k), block.attn.split_heads(v)
        # one cache for the whole model: every block reads what the last block stored
        if cache[0] is not None:
            k = torch.cat([cache[0][0], k], dim=2)
            v = torch.cat([cache[0][1], v], dim=2)
        latest = (k, v)
        S = k.shape[2]
        mask = torch.ones(T, S, dtype=torch.bool).tril(S - T)
        x = x + block.attn.proj(block.attn.merge_heads(_attend(q, k, v, mask)))
        x = x + block.mlp(block.ln_2(x))
    cache[0] = latest
    return model.lm_head(model.ln_f(x))


@torch.no_grad()
def generate(model, prompt_ids, max_new_tokens):
    ids = prompt_ids
    if max_new_tokens == 0:
        return ids
    cache = [None] * len(model.blocks)
    logits = _step(model, ids, 0, cache)
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        if ids.shape[1] == prompt_ids.shape[1] + max_new_tokens:
            break
        logits = _step(model, nxt, ids.shape[1] - 1, cache)
    return ids
