import math

import torch


def generate(model, prompt_ids, max_new_tokens):
    # Every token, prompt included, goes through the model alone; attention by einsum over
    # lists of cached keys and values. No mask is needed: a single query may see every key.
    ids = prompt_ids.tolist()
    B = len(ids)
    cache = [([], []) for _ in model.blocks]
    sequence = prompt_ids
    for position in range(prompt_ids.shape[1] + max_new_tokens - 1):
        token = sequence[:, position:position + 1]
        x = model.wte(token) + model.wpe.weight[position]
        for block, (k_list, v_list) in zip(model.blocks, cache, strict=True):
            q, k, v = (block.attn.split_heads(t) for t in torch.chunk(block.attn.qkv(block.ln_1(x)), 3, dim=-1))
            k_list.append(k)
            v_list.append(v)
            keys, values = torch.cat(k_list, dim=2), torch.cat(v_list, dim=2)
            scores = torch.einsum("bhqd,bhkd->bhqk", q, keys) / math.sqrt(q.shape[-1])
            y = torch.einsum("bhqk,bhkd->bhqd", torch.softmax(scores, dim=-1), values)
            x = x + block.attn.proj(block.attn.merge_heads(y))
            x = x + block.mlp(block.ln_2(x))
        if position >= prompt_ids.shape[1] - 1:
            next_ids = model.lm_head(model.ln_f(x[:, 0])).argmax(dim=-1)
            for b in range(B):
                ids[b].append(int(next_ids[b]))
            sequence = torch.tensor(ids, dtype=torch.long, device=prompt_ids.device)
    return torch.tensor(ids, dtype=torch.long, device=prompt_ids.device).reshape(B, -1)
