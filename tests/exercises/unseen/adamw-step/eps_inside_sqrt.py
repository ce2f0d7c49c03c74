"""eps added to v-hat inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps.

fact: wrong only on the case whose eps is not the default
named_if: eps
"""
import torch


def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    beta1, beta2 = betas
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        p.mul_(1 - lr * weight_decay)
        m.mul_(beta1).add_(g, alpha=1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        m_hat = m / (1 - beta1 ** step)
        v_hat = v / (1 - beta2 ** step)
        p.sub_(lr * m_hat / torch.sqrt(v_hat + eps))
