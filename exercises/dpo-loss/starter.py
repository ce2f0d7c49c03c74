import torch


def dpo_loss(
    policy_chosen_logps: torch.Tensor,
    policy_rejected_logps: torch.Tensor,
    ref_chosen_logps: torch.Tensor,
    ref_rejected_logps: torch.Tensor,
    chosen_mask: torch.Tensor,
    rejected_mask: torch.Tensor,
    beta: float = 0.1,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The DPO loss and the implicit rewards.

    *_chosen_logps: (B, Tc), *_rejected_logps: (B, Tr): per-token log-probabilities of the
    chosen and rejected sequences under the policy and the frozen reference.
    chosen_mask (B, Tc), rejected_mask (B, Tr): bool, True on response tokens (not prompt, not padding).
    Returns (loss: scalar, the batch mean; chosen_rewards: (B,); rejected_rewards: (B,)),
    reward = beta * (log π(y|x) - log π_ref(y|x)) with log π(y|x) the sum over response tokens.
    """
    raise NotImplementedError("write dpo_loss")
