"""m and v are rebound to new tensors instead of updated in place: the optimizer state stays zero.

fact: the first step is right, every later step is wrong (state not kept between calls)
named_if: first (step|call|item).*(right|pass)|from the second|state|first 1 entry is right
"""


def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    beta1, beta2 = betas
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        m = exp_avgs[i]
        v = exp_avg_sqs[i]
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** step)
        v_hat = v / (1 - beta2 ** step)
        p.mul_(1 - lr * weight_decay)
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
