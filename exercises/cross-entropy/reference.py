from torch import Tensor


def cross_entropy(logits: Tensor, targets: Tensor, ignore_index: int = -100) -> Tensor:
    """Mean cross-entropy over the rows whose target is not ignore_index, via log-sum-exp."""
    keep = targets != ignore_index  # (N,) bool
    logits, targets = logits[keep], targets[keep]  # (M, C), (M,)
    m = logits.amax(dim=-1, keepdim=True)  # (M, 1): every exponent below is <= 0
    log_z = m.squeeze(-1) + (logits - m).exp().sum(dim=-1).log()  # (M,) log Σ exp
    target_logit = logits.gather(1, targets.unsqueeze(1)).squeeze(1)  # (M,)
    return (log_z - target_logit).mean()  # () mean of -log p(target)

