"""Classic wrong AdamW updates, each with the diagnosis it earns."""

from llmprep.exercise_api import Mistake


def _moments(g, m, v, beta1, beta2):
    m.mul_(beta1).add_(g, alpha=1 - beta1)
    v.mul_(beta2).addcmul_(g, g, value=1 - beta2)


def no_bias_correction(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                       weight_decay=1e-2):
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        p.mul_(1 - lr * weight_decay)
        _moments(g, m, v, *betas)
        p.sub_(lr * m / (v.sqrt() + eps))  # m and v are still biased towards their zero start


def l2_penalty_in_gradient(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                           weight_decay=1e-2):
    beta1, beta2 = betas
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        g = g + weight_decay * p  # Adam with L2 (torch.optim.Adam's weight_decay), not AdamW
        _moments(g, m, v, beta1, beta2)
        p.sub_(lr * (m / (1 - beta1**step)) / ((v / (1 - beta2**step)).sqrt() + eps))


def decay_after_update(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                       weight_decay=1e-2):
    beta1, beta2 = betas
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        _moments(g, m, v, beta1, beta2)
        p.sub_(lr * (m / (1 - beta1**step)) / ((v / (1 - beta2**step)).sqrt() + eps))
        p.mul_(1 - lr * weight_decay)  # decays the already-updated parameter


def decay_not_scaled_by_lr(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                           weight_decay=1e-2):
    beta1, beta2 = betas
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        p.mul_(1 - weight_decay)  # torch.optim.AdamW multiplies by (1 - lr·weight_decay)
        _moments(g, m, v, beta1, beta2)
        p.sub_(lr * (m / (1 - beta1**step)) / ((v / (1 - beta2**step)).sqrt() + eps))


MISTAKES = [
    Mistake(id="no-bias-correction", implementation=no_bias_correction,
            en="Looks like you skipped bias correction: m and v start at 0, so divide them by (1 - β₁^t) and "
                  "(1 - β₂^t). Without it the first update is (1 - β₁)/√(1 - β₂) ≈ 3.16 times too large for "
                  "β = (0.9, 0.999).",
            zh="看起来你没有做偏差修正：m 和 v 从 0 开始，要分别除以 (1 - β₁^t) 和 (1 - β₂^t)。"
                  "不修正时，β = (0.9, 0.999) 下第一步更新大了 (1 - β₁)/√(1 - β₂) ≈ 3.16 倍。"),
    Mistake(id="l2-penalty-in-gradient", implementation=l2_penalty_in_gradient,
            en="Looks like you added weight_decay·θ to the gradient (L2 regularization, Adam's weight_decay): then "
                  "the decay is rescaled by 1/√v̂ like the gradient. AdamW decouples it: θ ← θ·(1 - lr·λ), outside "
                  "the moments.",
            zh="看起来你把 weight_decay·θ 加到了梯度上（L2 正则，即 Adam 的 weight_decay）：这样衰减会像梯度一样"
                  "被 1/√v̂ 缩放。AdamW 把它解耦：θ ← θ·(1 - lr·λ)，不进入动量估计。"),
    Mistake(id="decay-after-update", implementation=decay_after_update,
            en="Looks like you apply the weight decay after the Adam update: AdamW (and torch.optim.AdamW) decays "
                  "the parameter as it was before this step, θ ← θ·(1 - lr·λ), then subtracts lr·m̂/(√v̂ + ε).",
            zh="看起来你在 Adam 更新之后才做权重衰减：AdamW（以及 torch.optim.AdamW）衰减的是本步更新之前的参数，"
                  "先 θ ← θ·(1 - lr·λ)，再减去 lr·m̂/(√v̂ + ε)。"),
    Mistake(id="decay-not-scaled-by-lr", implementation=decay_not_scaled_by_lr,
            en="Looks like you multiply the parameters by (1 - λ): torch.optim.AdamW's decoupled decay is scaled by "
                  "the learning rate, θ ← θ·(1 - lr·λ).",
            zh="看起来你把参数乘以 (1 - λ)：torch.optim.AdamW 的解耦权重衰减要乘上学习率，θ ← θ·(1 - lr·λ)。"),
]
