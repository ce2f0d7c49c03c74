"""The k3 estimator is written with the ratio inverted: exp(logps - ref) - (logps - ref) - 1.

fact: wrong only on cases with beta ≠ 0 (the KL term), right when beta = 0
named_if: beta|β|KL
"""
import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    r = rewards.to(logps.dtype).view(-1, group_size)
    adv = (r - r.mean(-1, keepdim=True)) / (r.std(-1, keepdim=True) + 1e-4)
    adv = adv.reshape(-1, 1)
    ratio = torch.exp(logps - old_logps)
    surrogate = torch.minimum(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv)
    d = logps - ref_logps
    kl = torch.exp(d) - d - 1
    per_token = -(surrogate - beta * kl)
    return torch.where(mask, per_token, 0.0).sum() / mask.sum()
