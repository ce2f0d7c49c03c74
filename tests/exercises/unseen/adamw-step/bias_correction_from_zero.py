"""Bias correction with the exponent step - 1: at the first step 1 - beta**0 = 0, a division by zero.

fact: NaN/inf from the first step (division by zero in the bias correction)
named_if: NaN|inf|non-finite
"""


def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    beta1, beta2 = betas
    t = step - 1  # steps counted from zero
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        p.mul_(1 - lr * weight_decay)
        m.mul_(beta1).add_(g, alpha=1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
