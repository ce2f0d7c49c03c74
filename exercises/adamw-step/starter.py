def adamw_step(params, grads, exp_avgs, exp_avg_sqs, step, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
               weight_decay=1e-2):
    """One AdamW update of every parameter, in place, as torch.optim.AdamW does it.

    params, grads, exp_avgs, exp_avg_sqs: lists of tensors of the same shapes, one per parameter.
    Update params[i], exp_avgs[i] (m) and exp_avg_sqs[i] (v) in place (p.mul_, p.add_, ...);
    step is the number of this update, 1 for the first. Return nothing. Do not use torch.optim.
    """
    raise NotImplementedError("write adamw_step")
