def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    # the arithmetic in float64, new tensors for the state (the lists are updated), copy_ into the parameters
    beta1, beta2 = betas
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        theta, grad = p.double(), g.double()
        m = beta1 * exp_avgs[i].double() + (1 - beta1) * grad
        v = beta2 * exp_avg_sqs[i].double() + (1 - beta2) * grad * grad
        update = (m / (1 - beta1**step)) / ((v / (1 - beta2**step)).sqrt() + eps)
        p.copy_(theta - lr * weight_decay * theta - lr * update)
        exp_avgs[i], exp_avg_sqs[i] = m, v
