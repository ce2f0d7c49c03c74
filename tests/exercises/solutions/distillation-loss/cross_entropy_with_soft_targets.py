import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, targets, T: float = 2.0, alpha: float = 0.5):
    # KL(p ‖ q) = H(p, q) - H(p): soft-target cross-entropy minus the teacher's entropy
    p = F.softmax(teacher_logits / T, dim=1).detach()
    log_p = F.log_softmax(teacher_logits / T, dim=1).detach()
    soft_ce = F.cross_entropy(student_logits / T, p)  # probabilities as targets, mean over rows
    teacher_entropy = -(p * log_p).sum(dim=1).mean()
    hard = F.cross_entropy(student_logits, targets, reduction="sum") / targets.numel()
    return alpha * hard + (1.0 - alpha) * T * T * (soft_ce - teacher_entropy)
