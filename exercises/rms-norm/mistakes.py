"""Classic wrong RMSNorms, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def subtracts_mean(x, weight, eps=1e-6):
    centred = x - x.mean(dim=-1, keepdim=True)
    return centred / torch.sqrt((centred * centred).mean(dim=-1, keepdim=True) + eps) * weight


def eps_outside_root(x, weight, eps=1e-6):
    return x / (torch.sqrt((x * x).mean(dim=-1, keepdim=True)) + eps) * weight


def missing_weight(x, weight, eps=1e-6):
    return x / torch.sqrt((x * x).mean(dim=-1, keepdim=True) + eps)


def l2_norm_not_rms(x, weight, eps=1e-6):
    return x / torch.sqrt((x * x).sum(dim=-1, keepdim=True) + eps) * weight


MISTAKES = [
    Mistake(id="subtracts-mean", implementation=subtracts_mean,
            en="Looks like you subtract the mean (that is LayerNorm without its bias): RMSNorm does not centre, "
                  "it divides x itself by √(mean(x²) + eps).",
            zh="看起来你减去了均值（那是去掉 bias 的 LayerNorm）：RMSNorm 不做中心化，直接把 x 除以 √(mean(x²) + eps)。"),
    Mistake(id="eps-outside-root", implementation=eps_outside_root,
            en="Looks like eps is outside the square root (x / (rms + eps)): it belongs inside, x / √(mean(x²) + eps).",
            zh="看起来 eps 放在了平方根外面（x / (rms + eps)）：它应在根号里面，x / √(mean(x²) + eps)。"),
    Mistake(id="missing-weight", implementation=missing_weight,
            en="Looks like you left out weight: RMSNorm ends with a per-feature scale, x / √(mean(x²) + eps) · weight.",
            zh="看起来你漏掉了 weight：RMSNorm 最后要按特征缩放，x / √(mean(x²) + eps) · weight。"),
    Mistake(id="l2-norm-not-rms", implementation=l2_norm_not_rms,
            en="Looks like you divided by the L2 norm √(Σx²) instead of the root mean square √(mean(x²)): "
                  "average over the D features (the norm is √D times larger).",
            zh="看起来你除以的是 L2 范数 √(Σx²)，而不是均方根 √(mean(x²))：应在 D 个特征上取平均（范数大 √D 倍）。"),
]
