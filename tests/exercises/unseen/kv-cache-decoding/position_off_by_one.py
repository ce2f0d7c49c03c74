"""The fed-back token gets position cache_len + 1 instead of cache_len.

fact: the first generated token is right, later ones are wrong (an off-by-one in positions)
named_if: first .*(right|correct)|from (column|position|index)|shift|off by one
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
    for i, block in enumerate(model.blocks):
        h = block.ln_1(x)
        q, k, v = block.attn.qkv(h).chunk(3, dim=-1)
        q, k, v = block.attn.split_heads(q), block.attn.split_heads(k), block.attn.split_heads(v)
        if cache[i] is not None:
            k = torch.cat([cache[i][0], k], dim=2)
            v = torch.cat([cache[i][1], v], dim=2)
        cache[i] = (k, v)
        S = k.shape[2]
        mask = torch.ones(T, S, dtype=torch.bool).tril(S - T)
        x = x + block.attn.proj(block.attn.merge_heads(_attend(q, k, v, mask)))
        x = x + block.mlp(block.ln_2(x))
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
        logits = _step(model, nxt, ids.shape[1], cache)  # position is ids.shape[1] - 1
    return ids
