"""KL averaged over every element (N·C) instead of summed over classes and averaged over the batch.

fact: wrong only when alpha < 1 (the soft term is divided by the class count)
named_if: alpha
"""
import torch
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard = F.cross_entropy(student_logits, targets)
    log_q = F.log_softmax(student_logits / T, dim=-1)
    log_p = F.log_softmax(teacher_logits / T, dim=-1)
    kl = (log_p.exp() * (log_p - log_q)).mean()
    return alpha * hard + (1 - alpha) * T * T * kl
