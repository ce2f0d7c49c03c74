"""Classic wrong distillation losses, each with the diagnosis it earns."""

import torch.nn.functional as F

from llmprep.exercise_api import Mistake


def _parts(student_logits, teacher_logits, targets, T):
    hard = F.cross_entropy(student_logits, targets)
    log_p = F.log_softmax(teacher_logits / T, dim=-1)
    log_q = F.log_softmax(student_logits / T, dim=-1)
    return hard, log_p, log_q


def missing_t_squared(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard, log_p, log_q = _parts(student_logits, teacher_logits, targets, T)
    soft = (log_p.exp() * (log_p - log_q)).sum(-1).mean()
    return alpha * hard + (1 - alpha) * soft


def kl_reversed(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard, log_p, log_q = _parts(student_logits, teacher_logits, targets, T)
    soft = (log_q.exp() * (log_q - log_p)).sum(-1).mean()  # KL(q ‖ p)
    return alpha * hard + (1 - alpha) * T**2 * soft


def kl_mean_over_classes(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard, log_p, log_q = _parts(student_logits, teacher_logits, targets, T)
    soft = (log_p.exp() * (log_p - log_q)).mean()  # what F.kl_div(reduction="mean") does
    return alpha * hard + (1 - alpha) * T**2 * soft


def alpha_swapped(student_logits, teacher_logits, targets, T=2.0, alpha=0.5):
    hard, log_p, log_q = _parts(student_logits, teacher_logits, targets, T)
    soft = (log_p.exp() * (log_p - log_q)).sum(-1).mean()
    return (1 - alpha) * hard + alpha * T**2 * soft


MISTAKES = [
    Mistake(id="missing-t-squared", implementation=missing_t_squared,
            en="Looks like the soft term is not multiplied by T²: its gradients shrink as 1/T², so at T = 4 the teacher barely counts. Use (1 - alpha)·T²·KL.",
            zh="看起来软损失没有乘以 T²：它的梯度按 1/T² 缩小，T = 4 时教师几乎不起作用。应为 (1 - alpha)·T²·KL。"),
    Mistake(id="kl-reversed", implementation=kl_reversed,
            en="Looks like you computed KL(student ‖ teacher): the teacher's softened distribution p is the target, so the KL is Σ p·(log p − log q), weighted by the teacher's probabilities.",
            zh="看起来你算的是 KL(学生 ‖ 教师)：教师软化后的分布 p 才是目标，KL 应为 Σ p·(log p − log q)，以教师的概率加权。"),
    Mistake(id="kl-mean-over-classes", implementation=kl_mean_over_classes,
            en="Looks like you averaged the KL over every element (batch × classes, like F.kl_div's reduction='mean'): sum it over the classes and average over the batch only ('batchmean').",
            zh="看起来你对所有元素（batch × 类别）求了 KL 的平均（如 F.kl_div 的 reduction='mean'）：应对类别求和，只对 batch 求平均（'batchmean'）。"),
    Mistake(id="alpha-swapped", implementation=alpha_swapped,
            en="Looks like alpha weights the soft term: here alpha multiplies the hard cross-entropy and (1 - alpha) the T²·KL term.",
            zh="看起来你用 alpha 加权了软损失：本题中 alpha 乘以硬标签交叉熵，(1 - alpha) 乘以 T²·KL 项。"),
]
