import torch.nn.functional as F


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    """The DPO loss (batch mean) and the implicit rewards β·(log π(y|x) − log π_ref(y|x)) of each pair."""
    def sequence_logp(token_logps, mask):
        return (token_logps * mask).sum(dim=-1)  # (B,): sum over the response tokens only

    chosen_rewards = beta * (sequence_logp(policy_chosen_logps, chosen_mask)
                             - sequence_logp(ref_chosen_logps, chosen_mask))        # (B,)
    rejected_rewards = beta * (sequence_logp(policy_rejected_logps, rejected_mask)
                               - sequence_logp(ref_rejected_logps, rejected_mask))  # (B,)
    loss = -F.logsigmoid(chosen_rewards - rejected_rewards).mean()  # −log σ(margin), stable for any margin
    return loss, chosen_rewards, rejected_rewards
