import torch


def grpo_loss(logps, old_logps, ref_logps, rewards, mask, group_size, clip_eps=0.2, beta=0.04):
    """The GRPO loss: group-relative advantages, the clipped ratio per token, the k3 KL to the
    reference, averaged over every completion token of the batch."""
    B, T = logps.shape
    grouped = rewards.view(B // group_size, group_size)                   # (prompts, G)
    mean = grouped.mean(dim=1, keepdim=True)
    std = grouped.std(dim=1, keepdim=True)                                # unbiased, as in TRL
    advantages = ((grouped - mean) / (std + 1e-4)).view(B, 1)             # (B, 1): one per completion

    ratio = torch.exp(logps - old_logps)                                  # (B, T) π / π_old per token
    clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps)
    surrogate = torch.minimum(ratio * advantages, clipped * advantages)   # the pessimistic bound

    log_ref_ratio = ref_logps - logps
    kl = torch.exp(log_ref_ratio) - log_ref_ratio - 1                     # k3: unbiased, always >= 0

    per_token = -(surrogate - beta * kl)                                  # (B, T)
    return (per_token * mask).sum() / mask.sum()                          # mean over completion tokens
