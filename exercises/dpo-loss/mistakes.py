"""Classic wrong DPO losses, each with the diagnosis it earns."""

import torch.nn.functional as F

from llmprep.exercise_api import Mistake


def _dpo(pc, pr, rc, rr, mc, mr, beta, *, reduce="sum", use_mask=True, use_reference=True,
         swapped=False, beta_outside=False):
    def seq(t, m):
        m = m if use_mask else m.new_ones(m.shape)
        s = (t * m).sum(-1)
        return s / m.sum(-1) if reduce == "mean" else s

    ref_c = seq(rc, mc) if use_reference else 0.0
    ref_r = seq(rr, mr) if use_reference else 0.0
    chosen = beta * (seq(pc, mc) - ref_c)
    rejected = beta * (seq(pr, mr) - ref_r)
    margin = rejected - chosen if swapped else chosen - rejected
    loss = -beta * F.logsigmoid(margin / beta) if beta_outside else -F.logsigmoid(margin)
    return loss.mean(), chosen, rejected


def mean_not_sum(pc, pr, rc, rr, mc, mr, beta=0.1):
    return _dpo(pc, pr, rc, rr, mc, mr, beta, reduce="mean")


def ignores_mask(pc, pr, rc, rr, mc, mr, beta=0.1):
    return _dpo(pc, pr, rc, rr, mc, mr, beta, use_mask=False)


def no_reference(pc, pr, rc, rr, mc, mr, beta=0.1):
    return _dpo(pc, pr, rc, rr, mc, mr, beta, use_reference=False)


def swapped_chosen_rejected(pc, pr, rc, rr, mc, mr, beta=0.1):
    return _dpo(pc, pr, rc, rr, mc, mr, beta, swapped=True)


def beta_outside_logsigmoid(pc, pr, rc, rr, mc, mr, beta=0.1):
    return _dpo(pc, pr, rc, rr, mc, mr, beta, beta_outside=True)


MISTAKES = [
    Mistake(id="mean-not-sum", implementation=mean_not_sum,
            en="Looks like you averaged the token log-probabilities: log π(y|x) is the SUM of log π(y_t | x, y_<t) "
                  "over the response tokens (dividing by the length is a different objective, as in SimPO).",
            zh="看起来你对各词的对数概率取了平均：log π(y|x) 是响应部分各词 log π(y_t | x, y_<t) 的**和**"
                  "（除以长度是另一个目标，如 SimPO）。"),
    Mistake(id="ignores-mask", implementation=ignores_mask,
            en="Looks like the mask is not applied: prompt and padding positions must not count; sum only where the "
                  "mask is True.",
            zh="看起来没有使用掩码：提示和填充位置不能计入，只对掩码为 True 的位置求和。"),
    Mistake(id="no-reference", implementation=no_reference,
            en="Looks like the reference model is missing: the implicit reward is β·(log π(y|x) − log π_ref(y|x)), "
                  "a log-ratio against the frozen reference.",
            zh="看起来缺少参考模型：隐式奖励是 β·(log π(y|x) − log π_ref(y|x))，是相对冻结参考模型的对数比。"),
    Mistake(id="swapped-chosen-rejected", implementation=swapped_chosen_rejected,
            en="Looks like the margin has the wrong sign: the loss is −log σ(r_chosen − r_rejected), so it falls as the "
                  "chosen response gains over the rejected one.",
            zh="看起来间隔的符号反了：损失是 −log σ(r_chosen − r_rejected)，chosen 相对 rejected 越好，损失越小。"),
    Mistake(id="beta-outside-logsigmoid", implementation=beta_outside_logsigmoid,
            en="Looks like β multiplies the loss instead of the log-ratios: the loss is −log σ(β·(Δ_chosen − Δ_rejected)), "
                  "not −β·log σ(Δ_chosen − Δ_rejected).",
            zh="看起来 β 乘在了损失外面而不是对数比上：损失是 −log σ(β·(Δ_chosen − Δ_rejected))，"
                  "而不是 −β·log σ(Δ_chosen − Δ_rejected)。"),
]
