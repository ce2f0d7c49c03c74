import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    # advantages by reshaping with unflatten; tokens kept with masked_select (padding never touched)
    groups = rewards.unflatten(0, (-1, group_size))
    A = (groups - groups.mean(-1, keepdim=True)) / (torch.std(groups, dim=-1, keepdim=True) + 1e-4)
    A = A.reshape(-1, 1).expand_as(logps)
    keep = mask.bool()
    lp, old, ref, adv = (t.masked_select(keep) for t in (logps, old_logps, ref_logps, A))
    ratio = torch.exp(lp - old)
    objective = torch.min(ratio * adv, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * adv)
    kl = torch.exp(ref - lp) - (ref - lp) - 1
    return -(objective - beta * kl).mean()
