"""Classic wrong beam searches, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _search(model, prompt_ids, W, max_new, eos, alpha, *, penalize=True, count_prompt=False, duplicate_start=False,
            length_excludes_eos=False, eos_continues=False):
    P = prompt_ids.numel()
    beams = [(prompt_ids.tolist(), 0.0)] * (W if duplicate_start else 1)
    finished = []

    def score(total, generated):
        length = generated + (P if count_prompt else 0)
        return total / length ** alpha if penalize else total

    for step in range(1, max_new + 1):
        logp = torch.log_softmax(model(torch.tensor([t for t, _ in beams])), dim=-1)
        totals = torch.tensor([s for _, s in beams], dtype=torch.float64)[:, None] + logp
        V = logp.size(-1)
        new = []
        for rank, flat in enumerate(totals.flatten().argsort(descending=True).tolist()):
            beam, token = divmod(flat, V)
            total = totals[beam, token].item()
            if token == eos and not eos_continues:
                if rank < W:
                    finished.append((beams[beam][0][P:] + [token], score(total, step - length_excludes_eos)))
                continue
            new.append((beams[beam][0] + [token], total))
            if len(new) == W:
                break
        beams = new
    finished += [(t[P:], score(s, max_new)) for t, s in beams]
    finished.sort(key=lambda h: -h[1])
    return [torch.tensor(t) for t, _ in finished[:W]], torch.tensor([s for _, s in finished[:W]])


def no_length_penalty(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    return _search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty, penalize=False)


def penalty_counts_prompt(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    return _search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty, count_prompt=True)


def duplicate_initial_beams(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    return _search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty, duplicate_start=True)


def length_excludes_eos(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    return _search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty, length_excludes_eos=True)


def continues_after_eos(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty=1.0):
    return _search(model, prompt_ids, beam_width, max_new_tokens, eos_id, length_penalty, eos_continues=True)


MISTAKES = [
    Mistake(id="no-length-penalty", implementation=no_length_penalty,
            en="Looks like the finished hypotheses are ranked by their raw sum of log-probs: divide it by "
               "(generated tokens) ** length_penalty, or short hypotheses always win.",
            zh="看起来已完成的假设是按原始对数概率之和排序的：应除以 (生成的词数) ** length_penalty，"
               "否则短的假设总会胜出。"),
    Mistake(id="penalty-counts-prompt", implementation=penalty_counts_prompt,
            en="Looks like the length in the penalty includes the prompt: count only the generated tokens "
               "(EOS included).",
            zh="看起来长度惩罚中的长度包含了提示：只计生成的词（包括 EOS）。"),
    Mistake(id="duplicate-initial-beams", implementation=duplicate_initial_beams,
            en="Looks like the search starts from beam_width copies of the prompt: the copies propose the same "
               "candidates, so the first step keeps duplicates. Start from ONE beam.",
            zh="看起来搜索从 beam_width 份相同的提示开始：这些副本提出相同的候选，第一步就保留了重复的束。"
               "应从**一个**束开始。"),
    Mistake(id="length-excludes-eos", implementation=length_excludes_eos,
            en="Looks like the length in the penalty leaves out the EOS: a hypothesis that ended on EOS at step t "
               "has t generated tokens, EOS included.",
            zh="看起来长度惩罚中的长度没有算上 EOS：在第 t 步以 EOS 结束的假设共生成了 t 个词，包括 EOS。"),
    Mistake(id="continues-after-eos", implementation=continues_after_eos,
            en="Looks like EOS is treated as an ordinary token: a beam that picks EOS is finished and must not be "
               "extended further.",
            zh="看起来 EOS 被当成了普通的词：选到 EOS 的束已经结束，不能再继续扩展。"),
]
