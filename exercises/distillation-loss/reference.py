import torch.nn.functional as F
from torch import Tensor


def distillation_loss(student_logits: Tensor, teacher_logits: Tensor, targets: Tensor,
                      T: float = 2.0, alpha: float = 0.5) -> Tensor:
    """Hinton et al. (2015): hard-label cross-entropy plus T²-scaled KL to the softened teacher."""
    hard = F.cross_entropy(student_logits, targets)  # mean over the batch, temperature 1
    log_p = F.log_softmax(teacher_logits.detach() / T, dim=-1)  # (N, C) the teacher is the target
    log_q = F.log_softmax(student_logits / T, dim=-1)  # (N, C)
    soft = (log_p.exp() * (log_p - log_q)).sum(dim=-1).mean()  # KL(p ‖ q): sum over classes, mean over rows
    # T² keeps the soft gradients (which scale as 1/T²) comparable to the hard ones
    return alpha * hard + (1 - alpha) * T**2 * soft
