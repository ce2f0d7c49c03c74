"""Classic wrong tilings of the online softmax, each with the diagnosis it earns. All of them are
tiled (they pass the memory check); they go wrong in the arithmetic."""

import math

import torch

from llmprep.exercise_api import Mistake


def _tiled(q, k, v, is_causal, block_size, *, scale=None, rescale=True, bottom_right=False, drop_partial=False):
    L, S, D = q.size(-2), k.size(-2), q.size(-1)
    scale = 1.0 / math.sqrt(D) if scale is None else scale
    offset = S - L if bottom_right else 0
    last_key = S - S % block_size if drop_partial and S > block_size else S
    out = []
    for i in range(0, L, block_size):
        qi = q[..., i:i + block_size, :] * scale
        rows = torch.arange(i, i + qi.size(-2))
        m = torch.full(qi.shape[:-1], float("-inf"), dtype=q.dtype)
        row_sum = torch.zeros_like(m)
        acc = torch.zeros(*qi.shape[:-1], v.size(-1), dtype=q.dtype)
        for j in range(0, last_key, block_size):
            kj, vj = k[..., j:j + block_size, :], v[..., j:j + block_size, :]
            s = qi @ kj.transpose(-2, -1)
            if is_causal:
                cols = torch.arange(j, j + kj.size(-2))
                s = s.masked_fill(cols[None, :] > rows[:, None] + offset, float("-inf"))
            m_new = torch.maximum(m, s.amax(dim=-1))
            # a block whose scores are all masked leaves m at -inf: exp(-inf - -inf) would be NaN
            safe = torch.where(torch.isinf(m_new), torch.zeros_like(m_new), m_new)
            correction = torch.exp(m - safe) if rescale else torch.ones_like(m)
            p = torch.exp(s - safe[..., None])
            row_sum = row_sum * correction + p.sum(dim=-1)
            acc = acc * correction[..., None] + p @ vj
            m = m_new
        out.append(acc / row_sum[..., None])
    return torch.cat(out, dim=-2)


def no_rescaling(q, k, v, is_causal=False, block_size=64):
    return _tiled(q, k, v, is_causal, block_size, rescale=False)


def no_scaling(q, k, v, is_causal=False, block_size=64):
    return _tiled(q, k, v, is_causal, block_size, scale=1.0)


def scaled_by_d(q, k, v, is_causal=False, block_size=64):
    return _tiled(q, k, v, is_causal, block_size, scale=1.0 / q.size(-1))


def causal_bottom_right(q, k, v, is_causal=False, block_size=64):
    return _tiled(q, k, v, is_causal, block_size, bottom_right=True)


def drops_partial_key_block(q, k, v, is_causal=False, block_size=64):
    return _tiled(q, k, v, is_causal, block_size, drop_partial=True)


MISTAKES = [
    Mistake(id="no-rescaling", implementation=no_rescaling,
            en="Looks like you do not rescale when the running max grows: the sum and the accumulated output were "
                  "computed with exp(s - m_old); multiply both by exp(m_old - m_new) before adding the new block.",
            zh="看起来运行最大值变大时你没有重新缩放：之前的和与累积输出是用 exp(s - m_old) 算的，加入新块之前要把"
                  "两者都乘以 exp(m_old - m_new)。"),
    Mistake(id="no-scaling", implementation=no_scaling,
            en="Looks like you did not scale the scores: divide q kᵀ by √D (D = q.size(-1)).",
            zh="看起来你没有缩放分数：应把 q kᵀ 除以 √D（D = q.size(-1)）。"),
    Mistake(id="scaled-by-d", implementation=scaled_by_d,
            en="Looks like you scaled by D instead of √D.",
            zh="看起来你除以了 D，而不是 √D。"),
    Mistake(id="causal-bottom-right", implementation=causal_bottom_right,
            en="Looks like your causal mask is aligned bottom-right (query i sees keys j <= i + S - L): this "
                  "exercise, like F.scaled_dot_product_attention's is_causal, aligns it top-left (j <= i).",
            zh="看起来你的因果掩码是右下角对齐的（查询 i 看 j <= i + S - L 的键）：本题与 "
                  "F.scaled_dot_product_attention 的 is_causal 一样采用左上角对齐（j <= i）。"),
    Mistake(id="drops-partial-key-block", implementation=drops_partial_key_block,
            en="Looks like the last key block is lost when S is not a multiple of block_size: loop "
                  "range(0, S, block_size) and slice k[..., j:j + block_size, :] (the last slice is simply shorter).",
            zh="看起来当 S 不是 block_size 的整数倍时，最后一个键块被丢掉了：应循环 range(0, S, block_size)，"
                  "切片 k[..., j:j + block_size, :]（最后一片只是更短而已）。"),
]
