import torch


def grpo_loss(
    logps: torch.Tensor,
    old_logps: torch.Tensor,
    ref_logps: torch.Tensor,
    rewards: torch.Tensor,
    mask: torch.Tensor,
    group_size: int,
    clip_eps: float = 0.2,
    beta: float = 0.04,
) -> torch.Tensor:
    """The GRPO loss (a scalar).

    logps, old_logps, ref_logps: (B, T) per-token log-probabilities of B sampled completions under
    the policy being trained, the policy that sampled them, and the frozen reference.
    rewards: (B,), one per completion. mask: (B, T) bool, True on completion tokens.
    The B completions are B / group_size groups of group_size consecutive rows (one group per prompt).
    Advantage: (r - group mean) / (group std (unbiased) + 1e-4), shared by every token of a completion.
    Per token: -(min(ρA, clip(ρ, 1 - clip_eps, 1 + clip_eps)A) - beta·KL), ρ = exp(logps - old_logps),
    KL = exp(ref - logps) - (ref - logps) - 1. Loss: the mean over all masked tokens of the batch.
    """
    raise NotImplementedError("write grpo_loss")
