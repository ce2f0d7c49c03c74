import torch


def speculative_step(target_probs, draft_probs, draft_tokens, generator):
    # a loop over the K draft positions, vectorized over the batch, with an "alive" mask
    B, K, V = draft_probs.shape
    out = torch.full((B, K + 1), -1, dtype=torch.int64)
    alive = torch.ones(B, dtype=torch.bool)          # no rejection so far
    final_rows = target_probs[:, K].clone()          # what the last token is drawn from
    for i in range(K):
        x = draft_tokens[:, i]
        p = target_probs[:, i].gather(1, x[:, None])[:, 0]
        q = draft_probs[:, i].gather(1, x[:, None])[:, 0]
        accept = torch.rand(B, generator=generator, dtype=p.dtype) * q < p   # u < p/q without dividing
        rejected_here = alive & ~accept
        final_rows[rejected_here] = (target_probs[rejected_here, i] - draft_probs[rejected_here, i]).clamp(min=0)
        out[alive & accept, i] = x[alive & accept]
        out[rejected_here, i] = -2                   # marks where the new token goes
        alive = alive & accept
    out[alive, K] = -2
    drawn = torch.multinomial(final_rows, 1, generator=generator)[:, 0]
    slot = (out == -2).int().argmax(1)
    out[torch.arange(B), slot] = drawn
    return out
