"""Classic wrong cross-entropies, each with the diagnosis it earns."""

import torch

from llmprep.exercise_api import Mistake


def _kept(logits, targets, ignore_index):
    keep = targets != ignore_index
    return logits[keep], targets[keep]


def _log_sum_exp(logits):
    m = logits.amax(dim=-1, keepdim=True)
    return m.squeeze(-1) + (logits - m).exp().sum(dim=-1).log()


def _picked(logits, targets):
    return logits.gather(1, targets.unsqueeze(1)).squeeze(1)


def log_of_softmax(logits, targets, ignore_index=-100):
    logits, targets = _kept(logits, targets, ignore_index)
    probs = torch.softmax(logits, dim=-1)  # a tiny probability underflows to 0 and log 0 = -inf
    return -_picked(probs.log(), targets).mean()


def exp_without_max(logits, targets, ignore_index=-100):
    logits, targets = _kept(logits, targets, ignore_index)
    e = logits.exp()  # inf above ~88 in float32, 0 below ~-104: inf/inf and 0/0 are NaN
    return -_picked((e / e.sum(dim=-1, keepdim=True)).log(), targets).mean()


def averages_over_ignored_rows(logits, targets, ignore_index=-100):
    keep = targets != ignore_index
    losses = _log_sum_exp(logits) - _picked(logits, targets.where(keep, torch.zeros_like(targets)))
    return (losses * keep).sum() / targets.numel()  # divides by N, not by the rows that count


def sum_instead_of_mean(logits, targets, ignore_index=-100):
    logits, targets = _kept(logits, targets, ignore_index)
    return (_log_sum_exp(logits) - _picked(logits, targets)).sum()


def ignores_ignore_index_argument(logits, targets, ignore_index=-100):
    logits, targets = _kept(logits, targets, -100)  # always -100, whatever the caller asked for
    return (_log_sum_exp(logits) - _picked(logits, targets)).mean()


MISTAKES = [
    Mistake(id="log-of-softmax", implementation=log_of_softmax,
            en="Looks like you take the log of a softmax: a target's probability below ~1e-45 (float32) underflows "
                  "to 0 and -log 0 = inf. Compute -log p = log Σ exp(x) - x_target with log-sum-exp (subtract the row "
                  "maximum inside it).",
            zh="看起来你先算 softmax 再取 log：目标类概率小于约 1e-45（float32）时下溢为 0，-log 0 = inf。"
                  "应该用 log-sum-exp 计算 -log p = log Σ exp(x) - x_target（在其中减去每行最大值）。"),
    Mistake(id="exp-without-max", implementation=exp_without_max,
            en="Looks like you exponentiate the logits directly: exp overflows to inf above ~88 and underflows to 0 "
                  "below ~-104 in float32, and inf/inf or 0/0 is NaN. Subtract each row's maximum first (log-sum-exp).",
            zh="看起来你直接对 logits 取 exp：float32 中超过约 88 会溢出为 inf，低于约 -104 会下溢为 0，"
                  "inf/inf 或 0/0 得 NaN。先减去每行的最大值（log-sum-exp）。"),
    Mistake(id="averages-over-ignored-rows", implementation=averages_over_ignored_rows,
            en="Looks like you zero the ignored rows but still divide by all N rows: the mean is over the rows whose "
                  "target is not ignore_index (the count of kept rows), as F.cross_entropy does.",
            zh="看起来你把被忽略的行置零了，但仍然除以全部 N 行：平均应只对目标不等于 ignore_index 的行"
                  "（保留下来的行数）求，与 F.cross_entropy 一致。"),
    Mistake(id="sum-instead-of-mean", implementation=sum_instead_of_mean,
            en="Looks like you return the sum of the per-row losses: the loss is their mean over the kept rows.",
            zh="看起来你返回的是各行损失之和：损失应是保留行上的平均值。"),
    Mistake(id="ignores-ignore-index-argument", implementation=ignores_ignore_index_argument,
            en="Looks like you always drop targets equal to -100 and ignore the `ignore_index` argument (e.g. "
                  "ignore_index=0 for a padding token).",
            zh="看起来你总是丢弃等于 -100 的目标，而忽略了 `ignore_index` 参数（例如用 ignore_index=0 表示填充符）。"),
]
