"""Classic wrong KV caches, each with the diagnosis it earns."""

import math

import torch

from llmprep.exercise_api import Mistake


def _generate(model, prompt_ids, max_new_tokens, *, mask="bottom-right", restart_positions=False,
              append_new=True):
    cache = [None] * len(model.blocks)
    ids = new_ids = prompt_ids
    for _ in range(max_new_tokens):
        start = ids.size(1) - new_ids.size(1)
        first = 0 if restart_positions else start
        positions = torch.arange(first, first + new_ids.size(1), device=ids.device)
        x = model.wte(new_ids) + model.wpe(positions)
        for i, block in enumerate(model.blocks):
            attn = block.attn
            q, k, v = (attn.split_heads(t) for t in attn.qkv(block.ln_1(x)).chunk(3, dim=-1))
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            if cache[i] is None or append_new:
                cache[i] = (k, v)
            T, S = q.size(2), k.size(2)
            scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
            diagonal = S - T if mask == "bottom-right" else 0
            visible = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(diagonal)
            scores = scores.masked_fill(~visible, float("-inf"))
            x = x + attn.proj(attn.merge_heads(torch.softmax(scores, dim=-1) @ v))
            x = x + block.mlp(block.ln_2(x))
        new_ids = model.lm_head(model.ln_f(x[:, -1])).argmax(dim=-1, keepdim=True)
        ids = torch.cat([ids, new_ids], dim=1)
    return ids


def no_cache(model, prompt_ids, max_new_tokens):
    ids = prompt_ids
    for _ in range(max_new_tokens):
        next_id = model(ids)[:, -1].argmax(dim=-1, keepdim=True)  # the whole prefix, every step
        ids = torch.cat([ids, next_id], dim=1)
    return ids


def causal_mask_top_left(model, prompt_ids, max_new_tokens):
    return _generate(model, prompt_ids, max_new_tokens, mask="top-left")


def positions_restart(model, prompt_ids, max_new_tokens):
    return _generate(model, prompt_ids, max_new_tokens, restart_positions=True)


def cache_not_updated(model, prompt_ids, max_new_tokens):
    return _generate(model, prompt_ids, max_new_tokens, append_new=False)


MISTAKES = [
    Mistake(id="no-cache", implementation=no_cache,
            en="Your tokens are right, but each step runs the whole sequence through the model again, so the cost of a "
                  "token grows with its position: keep every block's keys and values and feed only the newest token.",
            zh="生成的词是对的，但每一步都把整个序列重新送进模型，每个词的代价随位置增长：应保存每个块的键和值，"
                  "每一步只输入最新的词。"),
    Mistake(id="causal-mask-top-left", implementation=causal_mask_top_left,
            en="Looks like your causal mask is aligned top-left (tril(), or is_causal=True in F.scaled_dot_product_attention) "
                  "for queries shorter than the keys: the new token then sees only the first key. With a cache, query t of "
                  "T sits at position S - T + t and must see keys j <= S - T + t (tril(S - T)); a single new query needs no "
                  "mask at all.",
            zh="看起来当查询比键短时你的因果掩码是左上角对齐的（tril()，或 F.scaled_dot_product_attention 中的 "
                  "is_causal=True）：新词于是只能看到第一个键。有缓存时，T 个查询中的第 t 个位于位置 S - T + t，应看到 "
                  "j <= S - T + t 的键（tril(S - T)）；单个新查询根本不需要掩码。"),
    Mistake(id="positions-restart", implementation=positions_restart,
            en="Looks like the new token gets position 0 (positions counted within the step's input): its position is "
                  "the number of tokens before it, i.e. the cache length, so use model.wpe(arange(start, start + T)).",
            zh="看起来新词的位置被当成了 0（在本步输入内部计数）：它的位置是它之前的词数，也就是缓存长度，"
                  "应使用 model.wpe(arange(start, start + T))。"),
    Mistake(id="cache-not-updated", implementation=cache_not_updated,
            en="Looks like the cache keeps only the prompt: append each new token's keys and values to it (torch.cat "
                  "along the sequence dim) so later tokens attend to every generated token too.",
            zh="看起来缓存只保存了提示词：要把每个新词的键和值追加进去（沿序列维 torch.cat），这样后面的词也能关注"
                  "到每个已生成的词。"),
]
