"""The loss is -log(sigmoid(margin)) computed naively, which is log(0) = -inf for a margin of -100s.

fact: not finite only on the case with large margins (sigmoid underflows to 0 before the log)
named_if: overflow|underflow|large|inf|non.?finite|logsigmoid
"""
import torch


def _seq_logp(logps, mask):
    return torch.where(mask, logps, 0.0).sum(-1)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    chosen = beta * (_seq_logp(policy_chosen_logps, chosen_mask) - _seq_logp(ref_chosen_logps, chosen_mask))
    rejected = beta * (_seq_logp(policy_rejected_logps, rejected_mask)
                       - _seq_logp(ref_rejected_logps, rejected_mask))
    loss = -torch.log(torch.sigmoid(chosen - rejected)).mean()
    return loss, chosen, rejected
