import math

import torch


def flash_attention(q, k, v, is_causal=False, block_size=64):
    # every key block gives a partial softmax output and its log-sum-exp; partials are merged
    L, S = q.size(-2), k.size(-2)
    scale = q.size(-1) ** -0.5
    outputs = []
    for start in range(0, L, block_size):
        qb = q[..., start:start + block_size, :]
        qpos = torch.arange(start, start + qb.size(-2)).unsqueeze(-1)
        out, lse = None, None
        for kstart in range(0, S, block_size):
            kb, vb = k[..., kstart:kstart + block_size, :], v[..., kstart:kstart + block_size, :]
            s = torch.matmul(qb, kb.transpose(-1, -2)) * scale
            if is_causal:
                s = s.masked_fill(torch.arange(kstart, kstart + kb.size(-2)) > qpos, -math.inf)
            block_lse = torch.logsumexp(s, dim=-1, keepdim=True)          # -inf for a fully masked row
            finite = torch.isfinite(block_lse)
            block_out = torch.where(finite, torch.exp(s - torch.where(finite, block_lse, 0.0)) @ vb, 0.0)
            if out is None:
                out, lse = block_out, block_lse
                continue
            new_lse = torch.logaddexp(lse, block_lse)
            out = out * torch.exp(lse - new_lse) + block_out * torch.exp(
                torch.where(finite, block_lse - new_lse, -math.inf))
            lse = new_lse
        outputs.append(out)
    return torch.cat(outputs, dim=-2)
