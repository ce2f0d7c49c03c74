import torch


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps,
             chosen_mask, rejected_mask, beta=0.1):
    # sums as einsums with the float mask; the stable log-sigmoid written by hand, pair by pair
    cm, rm = chosen_mask.to(policy_chosen_logps.dtype), rejected_mask.to(policy_rejected_logps.dtype)
    chosen = beta * (torch.einsum("bt,bt->b", policy_chosen_logps, cm) - torch.einsum("bt,bt->b", ref_chosen_logps, cm))
    rejected = beta * (torch.einsum("bt,bt->b", policy_rejected_logps, rm)
                       - torch.einsum("bt,bt->b", ref_rejected_logps, rm))
    losses = []
    for margin in chosen - rejected:
        # -log σ(m) = max(-m, 0) + log(1 + exp(-|m|))
        losses.append(torch.clamp(-margin, min=0) + torch.log1p(torch.exp(-margin.abs())))
    return torch.stack(losses).mean(), chosen, rejected
