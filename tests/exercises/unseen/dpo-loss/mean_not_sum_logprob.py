"""The sequence log-probability is the mean over response tokens instead of their sum.

fact: the rewards differ per pair by the factor 1 / (number of response tokens of that sequence)
named_if: number of (response )?tokens|mask.{0,20}sum|mean (over|of) (the )?(response |masked )?tokens|per.token|length
"""
import torch
import torch.nn.functional as F


def _seq_logp(logps, mask):
    return torch.where(mask, logps, 0.0).sum(-1) / mask.sum(-1)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    chosen = beta * (_seq_logp(policy_chosen_logps, chosen_mask) - _seq_logp(ref_chosen_logps, chosen_mask))
    rejected = beta * (_seq_logp(policy_rejected_logps, rejected_mask)
                       - _seq_logp(ref_rejected_logps, rejected_mask))
    loss = -F.logsigmoid(chosen - rejected).mean()
    return loss, chosen, rejected
