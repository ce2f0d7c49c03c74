import torch
import torch.nn.functional as F


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    # log-ratios per token first, masked with torch.where; -log σ(x) = softplus(-x); detached rewards
    chosen_ratio = torch.where(chosen_mask, policy_chosen_logps - ref_chosen_logps, 0).sum(-1)
    rejected_ratio = torch.where(rejected_mask, policy_rejected_logps - ref_rejected_logps, 0).sum(-1)
    loss = F.softplus(-beta * (chosen_ratio - rejected_ratio)).mean()
    return loss, (beta * chosen_ratio).detach(), (beta * rejected_ratio).detach()
