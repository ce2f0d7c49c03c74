"""Serving families: `speculative-acceptance` (tokens per step and speed-up of speculative decoding) and
`paged-kv-blocks` (PagedAttention blocks and wasted slots for a batch)."""

from __future__ import annotations

import math

from llmprep.quiz.bank import Question
from llmprep.quiz.generators import Family, register
from llmprep.quiz.generators._building import Draw, fixed, grouped, make_question, short

LEVIATHAN = {"paper": "leviathan2023", "section": "§3 Analysis (expected tokens per run, Eq. 1; walltime "
                                                 "improvement, Theorem 3.8)"}
KWON = {"paper": "kwon2023", "section": "§4.1–4.2 PagedAttention and KV cache manager (fixed-size KV blocks)"}

# ---------------------------------------------------------------------------------------------
# speculative-acceptance


def speculative(alpha: float, gamma: int, cost: float) -> dict:
    """Expected tokens per target call (1 − α^(γ+1)) / (1 − α) and the walltime factor over (γc + 1)."""
    tokens = (1 - alpha ** (gamma + 1)) / (1 - alpha)
    return {"tokens": tokens, "step_cost": gamma * cost + 1, "speedup": tokens / (gamma * cost + 1)}


def make_speculative_acceptance(seed: int) -> Question:
    """α in 0.5..0.9, γ in 2..7, draft cost c from 0.02..0.2; asks tokens per step or the speed-up."""
    draw = Draw(seed)
    alpha, gamma = draw.pick([0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9]), draw.integer(2, 7)
    cost = draw.pick([0.02, 0.05, 0.1, 0.2])
    ask = draw.pick(["tokens", "speedup"])
    parts = speculative(alpha, gamma, cost)
    a, g, c = short(alpha), gamma, short(cost)
    if ask == "tokens":
        prompt = {"en": f"Speculative decoding with γ = {g} draft tokens per step and acceptance rate α = {a}. What is "
                        "the expected number of tokens produced per target-model call, (1 − α^(γ+1)) / (1 − α)?",
                  "zh": f"推测解码每步起草 γ = {g} 个 token，接受率 α = {a}。每次调用目标模型期望产出多少个 token，"
                        "即 (1 − α^(γ+1)) / (1 − α)？"}
    else:
        prompt = {"en": f"Speculative decoding with γ = {g}, acceptance rate α = {a}, and a draft model whose call costs "
                        f"c = {c} of a target call. What is the expected walltime improvement factor "
                        "(1 − α^(γ+1)) / ((1 − α)(γc + 1))?",
                  "zh": f"推测解码 γ = {g}，接受率 α = {a}，草稿模型一次调用的耗时是目标模型的 c = {c}。"
                        "期望的墙钟时间加速比 (1 − α^(γ+1)) / ((1 − α)(γc + 1)) 是多少？"}
    power = fixed(alpha ** (gamma + 1))
    explanation = {
        "en": (f"α^(γ+1) = {a}^{gamma + 1} = {power}; tokens per step = (1 − {power}) / (1 − {a}) = "
               f"{fixed(parts['tokens'])} (between 1 and γ + 1 = {gamma + 1}). A step costs γc + 1 = "
               f"{fixed(parts['step_cost'])} target calls, so the speed-up is {fixed(parts['tokens'])} / "
               f"{fixed(parts['step_cost'])} = {fixed(parts['speedup'])}. The output distribution is exactly the "
               "target model's."),
        "zh": (f"α^(γ+1) = {a}^{gamma + 1} = {power}；每步 token 数 = (1 − {power}) / (1 − {a}) = {fixed(parts['tokens'])}"
               f"（介于 1 和 γ + 1 = {gamma + 1} 之间）。每步耗时 γc + 1 = {fixed(parts['step_cost'])} 次目标调用，所以加速比为 "
               f"{fixed(parts['tokens'])} / {fixed(parts['step_cost'])} = {fixed(parts['speedup'])}。输出分布与目标模型完全相同。"),
    }
    return make_question(
        family="speculative-acceptance", seed=seed, topic="serving",
        difficulty="medium" if ask == "tokens" else "hard", prompt=prompt, answer=parts[ask],
        tolerance={"abs": 0.002}, explanation=explanation,
        params={"alpha": alpha, "gamma": gamma, "cost": cost, "ask": ask}, sources=[LEVIATHAN],
    )


register(Family(
    name="speculative-acceptance", topic="serving",
    description={
        "en": "Speculative decoding: expected tokens per target call or walltime speed-up. params: alpha, gamma, "
              "cost (c), ask (tokens | speedup). answer: (1 − α^(γ+1))/(1 − α), or that divided by (γc + 1).",
        "zh": "推测解码：每次目标调用的期望 token 数或墙钟加速比。params：alpha、gamma、cost（c）、ask（tokens | speedup）。"
              "answer：(1 − α^(γ+1))/(1 − α)，或再除以 (γc + 1)。",
    },
    generate=make_speculative_acceptance,
))

# ---------------------------------------------------------------------------------------------
# paged-kv-blocks


def paged_blocks(lengths: list[int], block: int) -> dict:
    """Blocks per sequence ⌈len / block⌉, their total, and the unused slots of the last blocks."""
    per_sequence = [math.ceil(n / block) for n in lengths]
    total = sum(per_sequence)
    return {"per_sequence": per_sequence, "blocks": total, "slots": total * block, "tokens": sum(lengths),
            "waste": total * block - sum(lengths)}


def make_paged_kv_blocks(seed: int) -> Question:
    """3-5 sequences of 1-600 tokens, block size 8, 16 or 32; asks the blocks or the unused slots."""
    draw = Draw(seed)
    block = draw.pick([8, 16, 32])
    lengths = [draw.integer(1, 600) for _ in range(draw.integer(3, 5))]
    ask = draw.pick(["blocks", "waste"])
    parts = paged_blocks(lengths, block)
    listing = ", ".join(str(n) for n in lengths)
    asked = {"blocks": ("How many blocks are allocated in total?", "总共分配多少个块？"),
             "waste": ("How many token slots in the allocated blocks are left unused?", "已分配的块中有多少个 token 槽位未被使用？")}[ask]
    prompt = {"en": f"A paged KV cache (PagedAttention) allocates blocks of {block} tokens on demand. A batch holds "
                    f"sequences of {listing} tokens. {asked[0]}",
              "zh": f"分页 KV cache（PagedAttention）按需分配每块 {block} 个 token 的块。一个 batch 中各序列长度为 "
                    f"{listing} 个 token。{asked[1]}"}
    ceilings = " + ".join(f"⌈{n}/{block}⌉" for n in lengths)
    counts = " + ".join(str(b) for b in parts["per_sequence"])
    explanation = {
        "en": (f"{ceilings} = {counts} = {parts['blocks']} blocks, i.e. {grouped(parts['slots'])} slots for "
               f"{grouped(parts['tokens'])} tokens, so {parts['waste']} slots are unused. Only each sequence's last "
               f"block can be partly empty (at most {block - 1} slots), whereas reserving the maximum length per "
               "request wastes far more."),
        "zh": (f"{ceilings} = {counts} = {parts['blocks']} 块，即 {grouped(parts['slots'])} 个槽位装 "
               f"{grouped(parts['tokens'])} 个 token，所以有 {parts['waste']} 个槽位未被使用。只有每条序列的最后一块可能没装满"
               f"（最多空 {block - 1} 个槽位），而按最大长度为每个请求预留会浪费多得多。"),
    }
    return make_question(
        family="paged-kv-blocks", seed=seed, topic="serving", difficulty="easy" if ask == "blocks" else "medium",
        prompt=prompt, answer=parts[ask], tolerance={"abs": 0.4},
        unit={"en": "blocks", "zh": "块"} if ask == "blocks" else {"en": "slots", "zh": "个槽位"},
        explanation=explanation, params={"lengths": lengths, "block": block, "ask": ask}, sources=[KWON],
    )


register(Family(
    name="paged-kv-blocks", topic="serving",
    description={
        "en": "PagedAttention blocks for a batch. params: lengths (tokens per sequence), block (tokens per block), "
              "ask (blocks | waste). answer: Σ ⌈len/block⌉, or the unused slots blocks·block − Σ len.",
        "zh": "一个 batch 的 PagedAttention 块数。params：lengths（每条序列的 token 数）、block（每块 token 数）、"
              "ask（blocks | waste）。answer：Σ ⌈len/block⌉，或未用槽位 块数·block − Σ len。",
    },
    generate=make_paged_kv_blocks,
))
