"""Classic wrong speculative samplers, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _step(target, draft, tokens, generator, *, resample_from_target=False, no_bonus=False, inverted=False,
          count_all=False, global_rng=False):
    B, K, V = draft.shape
    gen = None if global_rng else generator
    p = target[:, :K].gather(-1, tokens[..., None]).squeeze(-1)
    q = draft.gather(-1, tokens[..., None]).squeeze(-1)
    u = torch.rand(B, K, generator=gen, dtype=p.dtype)
    accepted = u < torch.clamp(q / p if inverted else p / q, max=1.0)
    n = accepted.long().sum(-1) if count_all else accepted.long().cumprod(-1).sum(-1)
    residual = target[:, :K] if resample_from_target else torch.clamp(target[:, :K] - draft, min=0.0)
    rows = torch.cat([residual, target[:, K:]], dim=1)[torch.arange(B), n]
    nxt = torch.multinomial(rows, 1, generator=gen).squeeze(-1)
    out = torch.cat([tokens, tokens.new_zeros(B, 1)], 1)
    out = torch.where(torch.arange(K + 1) < n[:, None], out, -1)
    if no_bonus:
        keep = n < K  # every draft accepted: stop without the bonus token
        out[torch.arange(B)[keep], n[keep]] = nxt[keep]
    else:
        out[torch.arange(B), n] = nxt
    return out


def resample_from_target(target_probs, draft_probs, draft_tokens, generator):
    return _step(target_probs, draft_probs, draft_tokens, generator, resample_from_target=True)


def no_bonus_token(target_probs, draft_probs, draft_tokens, generator):
    return _step(target_probs, draft_probs, draft_tokens, generator, no_bonus=True)


def inverted_acceptance(target_probs, draft_probs, draft_tokens, generator):
    return _step(target_probs, draft_probs, draft_tokens, generator, inverted=True)


def counts_all_acceptances(target_probs, draft_probs, draft_tokens, generator):
    return _step(target_probs, draft_probs, draft_tokens, generator, count_all=True)


def ignores_generator(target_probs, draft_probs, draft_tokens, generator):
    return _step(target_probs, draft_probs, draft_tokens, generator, global_rng=True)


MISTAKES = [
    Mistake(id="resample-from-target", implementation=resample_from_target,
            en="Looks like a rejected position is resampled from p itself: it must be resampled from "
               "norm(max(0, p - q)), the part of p the draft under-proposes; sampling p again double-counts the "
               "tokens that acceptance already covers, so the output no longer follows the target.",
            zh="看起来被拒绝的位置是直接从 p 重新采样的：应从 norm(max(0, p - q)) 采样，即草稿模型提议不足的那部分；"
               "再次从 p 采样会重复计入接受步骤已经覆盖的词，输出就不再服从目标分布。"),
    Mistake(id="no-bonus-token", implementation=no_bonus_token,
            en="Looks like nothing is added when all K drafts are accepted: sample one bonus token from the target's "
               "(K+1)-th distribution, so a step emits K + 1 tokens at best.",
            zh="看起来 K 个草稿都被接受时没有追加任何词：应从目标模型第 K+1 个分布再采样一个奖励词，"
               "所以一步最多产生 K + 1 个词。"),
    Mistake(id="inverted-acceptance", implementation=inverted_acceptance,
            en="Looks like a draft token is accepted with probability min(1, q/p): it is min(1, p(x)/q(x)), target "
               "over draft, so tokens the draft over-proposes are accepted less often.",
            zh="看起来草稿词的接受概率是 min(1, q/p)：应为 min(1, p(x)/q(x))，目标比草稿，这样草稿过度提议的词被接受得更少。"),
    Mistake(id="counts-all-acceptances", implementation=counts_all_acceptances,
            en="Looks like you count every accepted draft, also those after a rejection: acceptance stops at the "
               "first rejected position (the later drafts were conditioned on a token that is now replaced); "
               "n = accepted.cumprod(-1).sum(-1).",
            zh="看起来你统计了所有被接受的草稿，包括拒绝之后的：接受在第一个被拒绝的位置就停止（之后的草稿是以一个"
               "已被替换的词为条件生成的）；n = accepted.cumprod(-1).sum(-1)。"),
    Mistake(id="ignores-generator", implementation=ignores_generator,
            en="Looks like you draw from the global random number generator: pass `generator` to torch.rand and "
               "torch.multinomial, so the same generator seed gives the same tokens.",
            zh="看起来你用的是全局随机数生成器：要把 `generator` 传给 torch.rand 和 torch.multinomial，"
               "这样相同的生成器种子会得到相同的词。"),
]
