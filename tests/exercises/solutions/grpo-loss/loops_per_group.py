import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    # advantages group by group in a Python loop; the clip written as a where over the two cases
    advantages = torch.empty_like(rewards)
    for start in range(0, rewards.numel(), group_size):
        r = rewards[start:start + group_size]
        centered = r - r.mean()
        std = (centered.pow(2).sum() / (group_size - 1)).sqrt()
        advantages[start:start + group_size] = centered / (std + 1e-4)
    A = advantages.unsqueeze(1).detach()
    ratio = (logps - old_logps.detach()).exp()
    too_far = torch.where(A > 0, ratio > 1 + clip_eps, ratio < 1 - clip_eps)
    surrogate = torch.where(too_far, ratio.clamp(1 - clip_eps, 1 + clip_eps) * A, ratio * A)
    delta = ref_logps.detach() - logps
    kl = delta.exp() - delta - 1
    per_token = beta * kl - surrogate
    weights = mask.to(per_token.dtype)
    return (per_token * weights).sum() / weights.sum()
