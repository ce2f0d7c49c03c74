r"""When all K drafts are accepted no bonus token is sampled from p_K: the row emits only K tokens.

fact: a step never emits K + 1 tokens (the bonus token after K accepted drafts is missing)
named_if: bonus|K ?\+ ?1|number of (emitted )?tokens|tokens emitted
"""
import torch


def speculative_step(target_probs, draft_probs, draft_tokens, generator):
    B, K1, V = target_probs.shape
    K = K1 - 1
    dev = target_probs.device
    rows = torch.arange(B, device=dev)
    out = torch.full((B, K + 1), -1, dtype=torch.long, device=dev)
    alive = torch.ones(B, dtype=torch.bool, device=dev)
    n = torch.full((B,), K, dtype=torch.long, device=dev)
    u = torch.rand(B, K, generator=generator, device=dev)
    for i in range(K):
        x = draft_tokens[:, i]
        ratio = target_probs[rows, i, x] / draft_probs[rows, i, x]
        accepted = u[:, i] < ratio.clamp(max=1.0)
        n[alive & ~accepted] = i
        out[alive & accepted, i] = x[alive & accepted]
        alive = alive & accepted
    rejected = n < K
    r = rows[rejected]
    residual = (target_probs[r, n[r]] - draft_probs[r, n[r]]).clamp(min=0)
    empty = residual.sum(-1, keepdim=True) <= 0
    residual = torch.where(empty, target_probs[r, n[r]], residual)
    if r.numel():
        out[r, n[r]] = torch.multinomial(residual, 1, generator=generator).squeeze(1)
    return out
