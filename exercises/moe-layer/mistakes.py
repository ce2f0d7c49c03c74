"""Classic wrong MoE layers, each with the diagnosis it earns (classes, like the entry)."""

import math

import torch
import torch.nn.functional as F
from torch import nn

from llmprep.exercise_api import Mistake


class _Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)
        self.w3 = nn.Linear(d_model, d_ff, bias=False)
        self.w2 = nn.Linear(d_ff, d_model, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class _MoE(nn.Module):
    renormalize = True
    aux_scale_by_experts = True
    aux_probs_from_top_k = False
    token_major_capacity = False
    renormalize_survivors = False

    def __init__(self, d_model, d_ff, n_experts, top_k=2, capacity_factor=None):
        super().__init__()
        self.n_experts, self.top_k, self.capacity_factor = n_experts, top_k, capacity_factor
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(_Expert(d_model, d_ff) for _ in range(n_experts))

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        N, E, k = x.size(0), self.n_experts, self.top_k
        probs = torch.softmax(self.router(x), dim=-1)
        top_p, top_i = probs.topk(k, dim=-1)
        weights = top_p / top_p.sum(-1, keepdim=True) if self.renormalize else top_p
        keep = torch.ones_like(top_i, dtype=torch.bool)
        if self.capacity_factor is not None:
            capacity = math.ceil(self.capacity_factor * N * k / E)
            order = top_i.reshape(-1) if self.token_major_capacity else top_i.T.reshape(-1)
            onehot = F.one_hot(order, E)
            rank = (onehot.cumsum(0) * onehot).sum(-1) - 1
            keep = (rank < capacity).view(N, k) if self.token_major_capacity else (rank < capacity).view(k, N).T
            if self.renormalize_survivors:
                kept = weights * keep
                weights = kept / kept.sum(-1, keepdim=True).clamp_min(1e-30)
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            token, slot = ((top_i == e) & keep).nonzero(as_tuple=True)
            if token.numel():
                out = out.index_add(0, token, weights[token, slot, None] * expert(x[token]))
        f = F.one_hot(top_i, E).sum((0, 1)).to(x.dtype) / (N * k)
        if self.aux_probs_from_top_k:
            P = torch.zeros_like(probs).scatter(-1, top_i, top_p).mean(0)
        else:
            P = probs.mean(0)
        aux = (f * P).sum() * (E if self.aux_scale_by_experts else 1)
        return out.reshape(shape), aux


class NoRenormalization(_MoE):
    renormalize = False


class AuxWithoutNumExperts(_MoE):
    aux_scale_by_experts = False


class AuxProbsFromTopK(_MoE):
    aux_probs_from_top_k = True


class CapacityTokenMajor(_MoE):
    token_major_capacity = True


class CapacityRenormalizesSurvivors(_MoE):
    renormalize_survivors = True


MISTAKES = [
    Mistake(id="no-renormalization", implementation=NoRenormalization,
            en="Looks like the top-k probabilities are used as they are: Mixtral renormalizes them to sum to 1 "
               "(top_p / top_p.sum(-1, keepdim=True), the same as a softmax over the top-k logits).",
            zh="看起来你直接使用了 top-k 的概率：Mixtral 会把它们重新归一化使和为 1"
               "（top_p / top_p.sum(-1, keepdim=True)，等同于对 top-k 的 logits 做 softmax）。"),
    Mistake(id="aux-without-num-experts", implementation=AuxWithoutNumExperts,
            en="Looks like your load-balancing loss lacks the factor n_experts: Switch's loss is "
               "E · Σ_i f_i · P_i, which is 1 when the routing is perfectly balanced.",
            zh="看起来你的负载均衡损失缺少因子 n_experts：Switch 的损失是 E · Σ_i f_i · P_i，"
               "路由完全均衡时它等于 1。"),
    Mistake(id="aux-probs-from-top-k", implementation=AuxProbsFromTopK,
            en="Looks like P_i in the load-balancing loss only counts the top-k probabilities: P_i is the mean of "
               "the FULL softmax probability of expert i over all tokens (that is what carries the gradient to the "
               "router for every expert).",
            zh="看起来负载均衡损失里的 P_i 只统计了 top-k 的概率：P_i 是专家 i 的**完整** softmax 概率在所有词上的"
               "平均（正是它把梯度传给每个专家对应的路由权重）。"),
    Mistake(id="capacity-token-major", implementation=CapacityTokenMajor,
            en="Looks like capacity is filled token by token (token 0's choices, then token 1's, ...): here, as in "
               "GShard, all first choices are placed before any second choice, each in token order.",
            zh="看起来容量是按词依次填充的（词 0 的各个选择，然后词 1 的……）：本题与 GShard 一样，先放所有词的"
               "第一选择，再放第二选择，每一轮都按词的顺序。"),
    Mistake(id="capacity-renormalizes-survivors", implementation=CapacityRenormalizesSurvivors,
            en="Looks like you renormalize the weights over the assignments that survived the capacity limit: a "
               "dropped assignment simply contributes nothing; the kept ones keep their routing weights.",
            zh="看起来你在容量限制后对幸存的分配重新归一化了权重：被丢弃的分配只是没有贡献，保留的分配沿用原来的"
               "路由权重。"),
]
