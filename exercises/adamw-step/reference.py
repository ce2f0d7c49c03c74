def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    """One AdamW update (Loshchilov & Hutter), in place, exactly as torch.optim.AdamW does it."""
    beta1, beta2 = betas
    bias_correction1 = 1 - beta1**step  # m starts at 0: undo its pull towards 0
    bias_correction2 = 1 - beta2**step
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        p.mul_(1 - lr * weight_decay)  # decoupled weight decay, from the parameter before the update
        m.mul_(beta1).add_(g, alpha=1 - beta1)  # first moment: running mean of g
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)  # second moment: running mean of g²
        m_hat = m / bias_correction1
        v_hat = v / bias_correction2
        p.sub_(lr * m_hat / (v_hat.sqrt() + eps))
