"""Rewards reshaped as (group_size, n_groups) instead of (n_groups, group_size): groups interleaved.

fact: wrong only on cases with more than one group (B > group_size)
named_if: group
"""
import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    r = rewards.to(logps.dtype).view(group_size, -1)
    adv = (r - r.mean(0, keepdim=True)) / (r.std(0, keepdim=True) + 1e-4)
    adv = adv.reshape(-1, 1)
    ratio = torch.exp(logps - old_logps)
    surrogate = torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv)
    d = ref_logps - logps
    kl = torch.exp(d) - d - 1
    per_token = -(surrogate - beta * kl)
    return torch.where(mask, per_token, 0.0).sum() / mask.sum()
