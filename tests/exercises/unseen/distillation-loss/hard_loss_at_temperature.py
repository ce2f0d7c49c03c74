"""The hard cross-entropy computed on student_logits / T instead of at temperature 1.

fact: wrong only when T is not 1
named_if: wrong only .*\bT\b|`?T`? ≠ 1|T != 1|\bT\b.*default
"""
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard = F.cross_entropy(student_logits / T, targets)
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits / T, dim=-1)
    kl = (log_p.exp() * (log_p - log_q)).sum(-1).mean()
    return alpha * hard + (1 - alpha) * T * T * kl
