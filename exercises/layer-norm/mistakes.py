"""Classic wrong LayerNorms, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def unbiased_variance(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).sum(dim=-1, keepdim=True) / (x.shape[-1] - 1)  # D - 1: NaN when D = 1
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def l2_normalization(x, weight, bias, eps=1e-5):
    # the "LayerNorm" of the fine-tuning document (003 411-424): divide by √Σx²
    return x / x.norm(dim=-1, keepdim=True) * weight + bias


def eps_outside_root(x, weight, bias, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / (torch.sqrt(var) + eps) * weight + bias


def missing_weight_and_bias(x, weight, bias, eps=1e-5):
    # 004 825 stops at x̂
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


MISTAKES = [
    Mistake(id="unbiased-variance", implementation=unbiased_variance,
            en="Looks like you used the unbiased variance (divided by D - 1): LayerNorm divides by D "
                  "(x.var(-1, unbiased=False), or the mean of (x - mean)²).",
            zh="看起来你用了无偏方差（除以 D - 1）：LayerNorm 除以 D（x.var(-1, unbiased=False)，"
                  "或 (x - mean)² 的平均值）。"),
    Mistake(id="l2-normalization", implementation=l2_normalization,
            en="Looks like you divided x by its L2 norm √Σx², as the fine-tuning document (003 411-424) does: "
                  "LayerNorm subtracts the mean and divides by √(variance + eps).",
            zh="看起来你像《从零开始大模型开发与微调》（003 411-424）那样把 x 除以它的 L2 范数 √Σx²："
                  "LayerNorm 要减去均值，再除以 √(方差 + eps)。"),
    Mistake(id="eps-outside-root", implementation=eps_outside_root,
            en="Looks like eps is outside the square root ((x - mean) / (σ + eps)): it belongs inside, "
                  "(x - mean) / √(σ² + eps).",
            zh="看起来 eps 放在了平方根外面（(x - mean) / (σ + eps)）：它应在根号里面，(x - mean) / √(σ² + eps)。"),
    Mistake(id="missing-weight-and-bias", implementation=missing_weight_and_bias,
            en="Looks like you returned the normalized x̂ without weight and bias (as 004 825 writes it): "
                  "LayerNorm ends with x̂ · weight + bias.",
            zh="看起来你返回了归一化后的 x̂，却没有乘 weight、加 bias（与 004 825 的写法一样）："
                  "LayerNorm 最后要 x̂ · weight + bias。"),
]
