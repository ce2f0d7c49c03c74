"""The uniforms and the final sample are drawn from the global RNG, not from `generator`.

fact: the same generator seed does not give the same tokens (the output depends on the global seed)
named_if: generator|reproduc|global (seed|rng)
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
    u = torch.rand(B, K, device=dev)
    for i in range(K):
        x = draft_tokens[:, i]
        ratio = target_probs[rows, i, x] / draft_probs[rows, i, x]
        accepted = u[:, i] < ratio.clamp(max=1.0)
        n[alive & ~accepted] = i
        out[alive & accepted, i] = x[alive & accepted]
        alive = alive & accepted
    p_n = target_probs[rows, n]
    q_n = draft_probs[rows, n.clamp(max=K - 1)]
    residual = (p_n - q_n).clamp(min=0)
    residual = torch.where(residual.sum(-1, keepdim=True) > 0, residual, p_n)
    dist = torch.where((n < K)[:, None], residual, p_n)
    out[rows, n] = torch.multinomial(dist, 1).squeeze(1)
    return out
