"""The prompt step runs without a causal mask: prompt positions see the future of the prompt.

fact: wrong only when the prompt has more than one token
named_if: prompt|P > 1|axis 1
"""
import math

import torch


def _attend(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
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
        x = x + block.attn.proj(block.attn.merge_heads(_attend(q, k, v)))
        x = x + block.mlp(block.ln_2(x))
    return model.lm_head(model.ln_f(x))


@torch.no_grad()
def generate(model, prompt_ids, max_new_tokens):
    ids = prompt_ids
    cache = [None] * len(model.blocks)
    if max_new_tokens == 0:
        return ids
    logits = _step(model, ids, 0, cache)
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        if ids.shape[1] == prompt_ids.shape[1] + max_new_tokens:
            break
        logits = _step(model, nxt, ids.shape[1] - 1, cache)
    return ids
