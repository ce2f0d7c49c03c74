import torch


def speculative_step(target_probs, draft_probs, draft_tokens, generator):
    """One step of speculative sampling for a batch of B sequences.

    target_probs (B, K+1, V), draft_probs (B, K, V), draft_tokens (B, K) -> tokens (B, K+1), int64:
    the accepted draft tokens, then one token from the target (a correction or the bonus), then -1.
    """
    B, K, V = draft_probs.shape
    p = target_probs[:, :K].gather(-1, draft_tokens[..., None]).squeeze(-1)   # (B, K) p(x_i)
    q = draft_probs.gather(-1, draft_tokens[..., None]).squeeze(-1)           # (B, K) q(x_i)
    u = torch.rand(B, K, generator=generator, device=p.device, dtype=p.dtype)
    accepted = u < torch.clamp(p / q, max=1.0)                                # accept with min(1, p/q)
    n = accepted.long().cumprod(dim=-1).sum(dim=-1)                           # (B,) accepted before the first rejection

    residual = torch.clamp(target_probs[:, :K] - draft_probs, min=0.0)        # (B, K, V) max(0, p - q)
    bonus = target_probs[:, K:]                                               # (B, 1, V) all accepted: sample p_K
    candidates = torch.cat([residual, bonus], dim=1)                          # (B, K+1, V)
    last = candidates[torch.arange(B, device=p.device), n]                    # (B, V) the row at position n
    next_token = torch.multinomial(last, 1, generator=generator).squeeze(-1)  # multinomial normalizes

    positions = torch.arange(K + 1, device=p.device)                          # (K+1,)
    tokens = torch.cat([draft_tokens, draft_tokens.new_zeros(B, 1)], dim=1)   # (B, K+1)
    tokens = torch.where(positions < n[:, None], tokens, -1)
    tokens[torch.arange(B, device=p.device), n] = next_token
    return tokens
