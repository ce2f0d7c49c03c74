"""The returned rewards are log π/π_ref without β (the loss itself uses β correctly).

fact: the rewards are 1/beta times the reference (a constant ratio); the loss is right
named_if: beta|β
"""
import torch
import torch.nn.functional as F


def _seq_logp(logps, mask):
    return torch.where(mask, logps, 0.0).sum(-1)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    chosen = _seq_logp(policy_chosen_logps, chosen_mask) - _seq_logp(ref_chosen_logps, chosen_mask)
    rejected = _seq_logp(policy_rejected_logps, rejected_mask) - _seq_logp(ref_rejected_logps, rejected_mask)
    loss = -F.logsigmoid(beta * (chosen - rejected)).mean()
    return loss, chosen, rejected
