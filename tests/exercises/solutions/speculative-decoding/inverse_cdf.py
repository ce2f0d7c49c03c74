import torch


def speculative_step(target_probs, draft_probs, draft_tokens, generator):
    # vectorized; the final token by inverse-CDF sampling with one more uniform per row
    B, K, V = draft_probs.shape
    idx = draft_tokens.unsqueeze(-1)
    ratio = torch.gather(target_probs[:, :K], 2, idx)[..., 0] / torch.gather(draft_probs, 2, idx)[..., 0]
    uniforms = torch.rand(B, K + 1, generator=generator, dtype=target_probs.dtype)
    rejected = uniforms[:, :K] >= ratio
    first_rejection = torch.where(rejected.any(1), rejected.int().argmax(1), torch.full((B,), K))  # (B,)
    rows = torch.arange(B)
    pad = torch.zeros(B, 1, V, dtype=target_probs.dtype)
    residual = (target_probs - torch.cat([draft_probs, pad], 1)).clamp(min=0)
    residual[:, K] = target_probs[:, K]
    chosen = residual[rows, first_rejection]
    cdf = chosen.cumsum(-1) / chosen.sum(-1, keepdim=True)
    token = torch.searchsorted(cdf, uniforms[:, K:]).squeeze(-1).clamp(max=V - 1)
    col = torch.arange(K + 1)
    result = torch.where(col < first_rejection[:, None], torch.cat([draft_tokens, draft_tokens[:, :1]], 1), -1)
    result[rows, first_rejection] = token
    return result
