"""Runs adamw_step for several steps on fresh optimizer state, the way an optimizer's step() would.

inputs["args"] = (params, grads): params is every parameter flattened into one vector, grads is
(steps, P), one flattened gradient per step; kwargs["shapes"] splits a vector into the
parameters, the other kwargs are the hyperparameters. Returns the parameters after each step,
flattened: (steps, P). Imports only torch (it runs inside the grading worker too).
"""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "replaced": ("params[{i}] was replaced by a new tensor at step {step}: update the parameters in place "
                 "(p.mul_, p.add_, p.sub_, p.addcdiv_, or p.copy_), because the model holds these tensors",
                 "params[{i}] 在第 {step} 步被换成了新张量：请原地更新参数（p.mul_、p.add_、p.sub_、p.addcdiv_ "
                 "或 p.copy_），因为模型持有的是这些张量"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _split(flat, shapes):
    tensors, start = [], 0
    for shape in shapes:
        size = 1
        for s in shape:
            size *= s
        tensors.append(flat[start:start + size].reshape(shape).clone())
        start += size
    return tensors


def run(entry, inputs):
    """Call entry once per step with the lists it updates in place; return (steps, P) parameters."""
    flat_params, grads_per_step = inputs["args"]
    hyper = dict(inputs["kwargs"])
    shapes = [tuple(s) for s in hyper.pop("shapes")]
    params = _split(flat_params, shapes)
    originals = list(params)  # a model holds these very tensors: they must change in place
    exp_avgs = [torch.zeros_like(p) for p in params]
    exp_avg_sqs = [torch.zeros_like(p) for p in params]
    trajectory = []
    for step, flat_grad in enumerate(grads_per_step, start=1):
        grads = _split(flat_grad, shapes)
        with torch.no_grad():  # as inside torch.optim's step()
            entry(params, grads, exp_avgs, exp_avg_sqs, step, **hyper)
        for i, (now, before) in enumerate(zip(params, originals, strict=True)):
            if now is not before:
                raise ValueError(_say("replaced", i=i, step=step))
        trajectory.append(torch.cat([p.reshape(-1) for p in originals]))
    return torch.stack(trajectory)  # (steps, P)
