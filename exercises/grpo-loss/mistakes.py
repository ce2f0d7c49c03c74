"""Classic wrong GRPO losses, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _grpo(logps, old, ref, rewards, mask, G, eps, beta, *, batch_advantages=False, bound=torch.minimum,
          kl="k3", per_sequence=False, ratio_to_ref=False):
    B = logps.shape[0]
    grouped = rewards.view(1, B) if batch_advantages else rewards.view(B // G, -1)
    adv = ((grouped - grouped.mean(1, keepdim=True)) / (grouped.std(1, keepdim=True) + 1e-4)).view(B, 1)
    ratio = torch.exp(logps - (ref if ratio_to_ref else old))
    surrogate = bound(ratio * adv, torch.clamp(ratio, 1 - eps, 1 + eps) * adv)
    if kl == "k3":
        penalty = torch.exp(ref - logps) - (ref - logps) - 1
    else:
        penalty = logps - ref  # k1
    per_token = -(surrogate - beta * penalty) * mask
    if per_sequence:
        return (per_token.sum(1) / mask.sum(1)).mean()
    return per_token.sum() / mask.sum()


def advantages_over_batch(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    return _grpo(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps, beta, batch_advantages=True)


def max_instead_of_min(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    return _grpo(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps, beta, bound=torch.maximum)


def k1_kl(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    return _grpo(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps, beta, kl="k1")


def per_sequence_mean(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    return _grpo(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps, beta, per_sequence=True)


def ratio_to_reference(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    return _grpo(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps, beta, ratio_to_ref=True)


MISTAKES = [
    Mistake(id="advantages-over-batch", implementation=advantages_over_batch,
     en="Looks like the advantages are normalized over the whole batch: GRPO compares each completion with the "
           "other completions of the SAME prompt: mean and std within each group of group_size consecutive rows.",
     zh="看起来优势是在整个 batch 上归一化的：GRPO 把每个回答与**同一个提示**的其他回答比较：均值和标准差"
           "在每组 group_size 个相邻行内计算。"),
    Mistake(id="max-instead-of-min", implementation=max_instead_of_min,
     en="Looks like you took the max of the clipped and unclipped terms: PPO's surrogate is the pessimistic "
           "min(ρA, clip(ρ, 1−ε, 1+ε)A), so a ratio that moved too far earns no extra objective.",
     zh="看起来你对裁剪项和未裁剪项取了 max：PPO 的替代目标是悲观的 min(ρA, clip(ρ, 1−ε, 1+ε)A)，"
           "比率偏离太远时不会得到额外收益。"),
    Mistake(id="k1-kl", implementation=k1_kl,
     en="Looks like the KL penalty is log π − log π_ref (the k1 estimator): GRPO uses k3 = π_ref/π − "
           "log(π_ref/π) − 1, which is never negative and has lower variance.",
     zh="看起来 KL 惩罚用的是 log π − log π_ref（k1 估计）：GRPO 使用 k3 = π_ref/π − log(π_ref/π) − 1，"
           "它永远非负且方差更小。"),
    Mistake(id="per-sequence-mean", implementation=per_sequence_mean,
     en="Looks like you averaged each completion's tokens and then the completions: this exercise asks for the "
           "mean over all completion tokens of the batch (Σ loss·mask / Σ mask), so long completions are not "
           "down-weighted.",
     zh="看起来你先在每个回答内部平均，再对回答平均：本题要求对整个 batch 的所有回答词取平均"
           "（Σ loss·mask / Σ mask），这样长回答不会被降权。"),
    Mistake(id="ratio-to-reference", implementation=ratio_to_reference,
     en="Looks like the ratio is taken against the reference model: ρ = π / π_old, the policy that SAMPLED the "
           "completions (old_logps); the reference only enters the KL penalty.",
     zh="看起来比率是相对参考模型计算的：ρ = π / π_old，即**采样**这些回答的策略（old_logps）；"
           "参考模型只出现在 KL 惩罚中。"),
]
