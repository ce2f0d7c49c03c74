"""Calls dpo_loss with the policy's log-probabilities as leaves, back-propagates the loss, and
returns the loss, the rewards and the loss's gradients with respect to the policy's per-token
log-probabilities (the reference's are constants). The rewards may be detached or not: only the
loss is differentiated. Runs in the worker: torch only."""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-triple": ("dpo_loss returned {type}: return a tuple (loss, chosen_rewards, rejected_rewards)",
                     "dpo_loss 返回了 {type}：请返回元组 (loss, chosen_rewards, rejected_rewards)"),
    "loss-shape": ("the loss must be a one-element tensor (the mean over the batch)",
                   "损失必须是只有一个元素的张量（对 batch 取平均）"),
    "detached": ("the loss is not connected to the policy log-probabilities by autograd (detached, or computed "
                 "under no_grad)",
                 "损失没有通过 autograd 连到策略的对数概率（被 detach 了，或在 no_grad 下计算）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _as_triple(output):
    if not isinstance(output, (tuple, list)) or len(output) != 3:
        raise TypeError(_say("not-a-triple", type=type(output).__name__))
    loss, chosen, rejected = output
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise TypeError(_say("loss-shape"))
    return loss, chosen, rejected


def run(entry, inputs):
    args, kwargs = list(inputs["args"]), dict(inputs["kwargs"])
    policy = [args[i].detach().clone().requires_grad_(True) for i in (0, 1)]
    loss, chosen, rejected = _as_triple(entry(policy[0], policy[1], *args[2:], **kwargs))
    if not loss.requires_grad:
        raise RuntimeError(_say("detached"))
    loss.reshape(()).backward()
    grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in policy]
    return {"loss": loss.detach().reshape(()), "chosen_rewards": torch.as_tensor(chosen).detach(),
            "rejected_rewards": torch.as_tensor(rejected).detach(),
            "grad_policy_chosen_logps": grads[0], "grad_policy_rejected_logps": grads[1]}
