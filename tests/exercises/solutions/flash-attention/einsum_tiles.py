import math

import torch


def flash_attention(q, k, v, is_causal=False, block_size=64):
    # FlashAttention-1 order: key blocks outside, query blocks inside, with per-row state arrays
    L, S = q.shape[-2], k.shape[-2]
    batch = q.shape[:-2]
    m = torch.full((*batch, L), -math.inf, dtype=q.dtype)
    row_sum = torch.zeros((*batch, L), dtype=q.dtype)
    o = torch.zeros((*batch, L, v.shape[-1]), dtype=q.dtype)
    for j0 in range(0, S, block_size):
        j1 = min(j0 + block_size, S)
        for i0 in range(0, L, block_size):
            i1 = min(i0 + block_size, L)
            if is_causal and j0 > i1 - 1:
                continue
            s = torch.einsum("...id,...jd->...ij", q[..., i0:i1, :], k[..., j0:j1, :]) / math.sqrt(q.shape[-1])
            if is_causal:
                above = torch.arange(j0, j1)[None, :] > torch.arange(i0, i1)[:, None]
                s = torch.where(above, torch.tensor(-math.inf, dtype=s.dtype), s)
            block_max = s.max(dim=-1).values
            m_old = m[..., i0:i1]
            m_new = torch.maximum(m_old, block_max)
            p = torch.exp(s - m_new.unsqueeze(-1))
            alpha = torch.exp(m_old - m_new)
            l_new = alpha * row_sum[..., i0:i1] + p.sum(dim=-1)
            # FlashAttention-1 keeps o normalized after every block
            o[..., i0:i1, :] = (o[..., i0:i1, :] * (alpha * row_sum[..., i0:i1]).unsqueeze(-1)
                                + torch.einsum("...ij,...jd->...id", p, v[..., j0:j1, :])) / l_new.unsqueeze(-1)
            m[..., i0:i1], row_sum[..., i0:i1] = m_new, l_new
    return o
