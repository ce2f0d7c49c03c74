"""The loss averages within each completion first, then over completions (not a token-level mean).

fact: wrong only on cases where the completions have different numbers of tokens (padding in the mask)
named_if: mask|padding|length|number of tokens
"""
import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    r = rewards.to(logps.dtype).view(-1, group_size)
    adv = (r - r.mean(-1, keepdim=True)) / (r.std(-1, keepdim=True) + 1e-4)
    adv = adv.reshape(-1, 1)
    ratio = torch.exp(logps - old_logps)
    surrogate = torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv)
    d = ref_logps - logps
    kl = torch.exp(d) - d - 1
    per_token = -(surrogate - beta * kl)
    per_completion = torch.where(mask, per_token, 0.0).sum(-1) / mask.sum(-1)
    return per_completion.mean()
