"""Classic wrong LoRA layers, each with the diagnosis it earns."""

import math

import torch
from torch import nn

from llmprep.exercise_api import Mistake


class _LoRA(nn.Module):
    scaling_uses_r = True
    init_B_random = False
    init_A_zero = False
    freeze_base = True

    def __init__(self, in_features, out_features, r, alpha):
        super().__init__()
        self.base = nn.Linear(in_features, out_features)
        self.base.requires_grad_(not self.freeze_base)
        self.lora_A = nn.Parameter(torch.zeros(r, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, r))
        if not self.init_A_zero:
            nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        if self.init_B_random:
            nn.init.normal_(self.lora_B)
        self.scaling = alpha / r if self.scaling_uses_r else alpha

    def forward(self, x):
        return self.base(x) + self.scaling * (x @ self.lora_A.T @ self.lora_B.T)

    def merge(self):
        W = self.base.weight
        merged = nn.Linear(W.shape[1], W.shape[0], dtype=W.dtype, device=W.device)
        with torch.no_grad():
            merged.weight.copy_(W + self.scaling * self.lora_B @ self.lora_A)
            merged.bias.copy_(self.base.bias)
        return merged


class ScaledByAlpha(_LoRA):
    scaling_uses_r = False


class BRandomAtInit(_LoRA):
    init_B_random = True


class BothZeroAtInit(_LoRA):
    init_A_zero = True


class BaseNotFrozen(_LoRA):
    freeze_base = False


class MergeWithoutScaling(_LoRA):
    def merge(self):
        W = self.base.weight
        merged = nn.Linear(W.shape[1], W.shape[0], dtype=W.dtype, device=W.device)
        with torch.no_grad():
            merged.weight.copy_(W + self.lora_B @ self.lora_A)  # forgot alpha / r
            merged.bias.copy_(self.base.bias)
        return merged


MISTAKES = [
    Mistake(id="scaled-by-alpha", implementation=ScaledByAlpha,
            en="Looks like you scale the low-rank update by alpha instead of alpha / r: the scale then grows with the rank you choose. Use self.scaling = alpha / r.",
            zh="看起来你把低秩更新乘以 alpha，而不是 alpha / r：这样缩放会随所选的秩变大。应使用 self.scaling = alpha / r。"),
    Mistake(id="b-random-at-init", implementation=BRandomAtInit,
            en="Looks like lora_B starts random: at initialization the layer must equal the frozen base layer exactly, so fine-tuning starts from the pretrained model. Initialize lora_B to zeros (and lora_A randomly).",
            zh="看起来 lora_B 是随机初始化的：初始化时该层必须与冻结的基础层完全相同，微调才能从预训练模型出发。应把 lora_B 初始化为 0（lora_A 随机初始化）。"),
    Mistake(id="both-zero-at-init", implementation=BothZeroAtInit,
            en="Looks like lora_A and lora_B both start at zero: then both gradients are zero (each is multiplied by the other) and the adapter never learns. Only lora_B starts at zero; lora_A is random.",
            zh="看起来 lora_A 和 lora_B 都初始化为 0：此时两者的梯度都是 0（各自的梯度都乘以对方），适配器永远学不动。只有 lora_B 初始化为 0，lora_A 要随机初始化。"),
    Mistake(id="base-not-frozen", implementation=BaseNotFrozen,
            en="Looks like the base layer is not frozen: gradients reach base.weight and base.bias. LoRA trains only lora_A and lora_B (base.requires_grad_(False)).",
            zh="看起来基础层没有冻结：梯度传到了 base.weight 和 base.bias。LoRA 只训练 lora_A 和 lora_B（base.requires_grad_(False)）。"),
    Mistake(id="merge-without-scaling", implementation=MergeWithoutScaling,
            en="Looks like merge() adds B·A without the alpha / r factor: the merged layer must give the same outputs as forward, so its weight is W + (alpha / r)·B·A.",
            zh="看起来 merge() 加上的是 B·A，漏掉了 alpha / r：合并后的层必须与 forward 输出相同，因此权重应为 W + (alpha / r)·B·A。"),
]
