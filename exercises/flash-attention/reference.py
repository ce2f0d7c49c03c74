import math

import torch


def flash_attention(q, k, v, is_causal=False, block_size=64):
    """softmax(q kᵀ / √D) v, one (query block, key block) tile at a time with the online softmax:
    never more than a block_size × block_size tile of scores per batch-head exists."""
    L, S, D = q.size(-2), k.size(-2), q.size(-1)
    scale = 1.0 / math.sqrt(D)
    out_blocks = []
    for i in range(0, L, block_size):
        qi = q[..., i:i + block_size, :] * scale                            # (..., Bq, D)
        rows = torch.arange(i, i + qi.size(-2), device=q.device)            # query positions
        m = torch.full(qi.shape[:-1], float("-inf"), dtype=q.dtype, device=q.device)  # running max (..., Bq)
        row_sum = torch.zeros_like(m)                                       # running sum of exp
        acc = torch.zeros(*qi.shape[:-1], v.size(-1), dtype=q.dtype, device=q.device)  # (..., Bq, Dv)
        for j in range(0, S, block_size):
            if is_causal and j > rows[-1]:
                break  # this key block and all later ones lie above the diagonal
            kj, vj = k[..., j:j + block_size, :], v[..., j:j + block_size, :]
            s = qi @ kj.transpose(-2, -1)                                   # (..., Bq, Bk)
            if is_causal:
                cols = torch.arange(j, j + kj.size(-2), device=q.device)
                s = s.masked_fill(cols[None, :] > rows[:, None], float("-inf"))  # top-left: key j <= query i
            m_new = torch.maximum(m, s.amax(dim=-1))                        # (..., Bq)
            correction = torch.exp(m - m_new)                               # rescales the old sum and acc
            p = torch.exp(s - m_new[..., None])                             # (..., Bq, Bk)
            row_sum = row_sum * correction + p.sum(dim=-1)
            acc = acc * correction[..., None] + p @ vj
            m = m_new
        out_blocks.append(acc / row_sum[..., None])                         # normalize once, at the end
    return torch.cat(out_blocks, dim=-2)                                    # (..., L, Dv)
