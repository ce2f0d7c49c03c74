r"""When a key block raises the running max, l is rescaled by exp(m_old - m_new) but acc is not.

fact: wrong only on cases with more than one key block (S > block_size), where the max grows
named_if: `(k|v)` axis -2( \(S\))? > `block_size`|more than one (key )?block|rescal
"""
import math

import torch


def flash_attention(q, k, v, is_causal=False, block_size=64):
    L, D = q.shape[-2], q.shape[-1]
    S = k.shape[-2]
    scale = 1 / math.sqrt(D)
    out = q.new_empty(*q.shape[:-1], v.shape[-1])
    for i0 in range(0, L, block_size):
        qi = q[..., i0:i0 + block_size, :] * scale
        bq = qi.shape[-2]
        m = torch.full(qi.shape[:-1], float("-inf"), dtype=q.dtype, device=q.device)
        running_sum = torch.zeros_like(m)
        acc = q.new_zeros(*qi.shape[:-1], v.shape[-1])
        for j0 in range(0, S, block_size):
            if is_causal and j0 > i0 + bq - 1:
                break
            s = qi @ k[..., j0:j0 + block_size, :].transpose(-2, -1)
            if is_causal:
                rows = torch.arange(i0, i0 + bq, device=q.device)[:, None]
                cols = torch.arange(j0, j0 + s.shape[-1], device=q.device)[None, :]
                s = s.masked_fill(cols > rows, float("-inf"))
            m_new = torch.maximum(m, s.amax(-1))
            c = torch.exp(m - m_new)
            p = torch.exp(s - m_new[..., None])
            running_sum = running_sum * c + p.sum(-1)
            acc = acc + p @ v[..., j0:j0 + block_size, :]
            m = m_new
        out[..., i0:i0 + bq, :] = acc / running_sum[..., None]
    return out
