"""The causal mask is a lower-triangular block_size tile applied to every tile with tile-local indices.

fact: wrong only on causal cases with more than one block (L or S > block_size)
named_if: (?s)is_causal.{0,80}block_size|block_size.{0,80}is_causal|causal.{0,40}(more than one|several) blocks
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
        m = torch.full(qi.shape[:-1], float("-inf"), dtype=q.dtype, device=q.device)
        running_sum = torch.zeros_like(m)
        acc = q.new_zeros(*qi.shape[:-1], v.shape[-1])
        for j0 in range(0, S, block_size):
            s = qi @ k[..., j0:j0 + block_size, :].transpose(-2, -1)
            if is_causal:
                tile = torch.ones(s.shape[-2:], dtype=torch.bool, device=q.device).tril()
                s = s.masked_fill(~tile, float("-inf"))
            m_new = torch.maximum(m, s.amax(-1))
            c = torch.exp(m - m_new)
            p = torch.exp(s - m_new[..., None])
            running_sum = running_sum * c + p.sum(-1)
            acc = acc * c[..., None] + p @ v[..., j0:j0 + block_size, :]
            m = m_new
        out[..., i0:i0 + qi.shape[-2], :] = acc / running_sum[..., None]
    return out
