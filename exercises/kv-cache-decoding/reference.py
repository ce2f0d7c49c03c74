import math

import torch


def generate(model, prompt_ids, max_new_tokens):
    """Greedy decoding with a KV cache: the prompt once, then one new token per step."""
    cache = [None] * len(model.blocks)        # per block: (k, v), each (B, H, S, d_head)
    ids = new_ids = prompt_ids                 # new_ids: the tokens the cache has not seen yet
    for _ in range(max_new_tokens):
        start = ids.size(1) - new_ids.size(1)  # positions already in the cache
        positions = torch.arange(start, ids.size(1), device=ids.device)
        x = model.wte(new_ids) + model.wpe(positions)                      # (B, T, d)
        for i, block in enumerate(model.blocks):
            attn = block.attn
            q, k, v = (attn.split_heads(t) for t in attn.qkv(block.ln_1(x)).chunk(3, dim=-1))  # (B, H, T, dh)
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)                     # (B, H, S, dh)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
            T, S = q.size(2), k.size(2)
            scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))       # (B, H, T, S)
            visible = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(S - T)  # query t sees keys <= start + t
            scores = scores.masked_fill(~visible, float("-inf"))
            x = x + attn.proj(attn.merge_heads(torch.softmax(scores, dim=-1) @ v))
            x = x + block.mlp(block.ln_2(x))
        logits = model.lm_head(model.ln_f(x[:, -1]))                       # (B, V): the last position only
        new_ids = logits.argmax(dim=-1, keepdim=True)                      # (B, 1)
        ids = torch.cat([ids, new_ids], dim=1)
    return ids                                                             # (B, P + max_new_tokens)
