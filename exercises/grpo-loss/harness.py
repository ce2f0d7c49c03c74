"""Calls grpo_loss with the current policy's log-probabilities as a leaf and back-propagates the
loss. The output is the loss and its gradient with respect to `logps` only: old_logps, ref_logps
and the rewards are constants of the step, so detaching them or not changes nothing. Runs in the
worker: torch only."""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "loss-shape": ("grpo_loss returned {type} of shape {shape}: return the loss as a one-element tensor",
                   "grpo_loss 返回了形状为 {shape} 的 {type}：请把损失作为只有一个元素的张量返回"),
    "detached": ("the loss is not connected to logps by autograd (detached, or computed under no_grad)",
                 "损失没有通过 autograd 连到 logps（被 detach 了，或在 no_grad 下计算）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def run(entry, inputs):
    args, kwargs = list(inputs["args"]), dict(inputs["kwargs"])
    logps = args[0].detach().clone().requires_grad_(True)
    loss = entry(logps, *args[1:], **kwargs)
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise TypeError(_say("loss-shape", type=type(loss).__name__, shape=tuple(getattr(loss, "shape", ()))))
    if not loss.requires_grad:
        raise RuntimeError(_say("detached"))
    loss.reshape(()).backward()
    grad = logps.grad if logps.grad is not None else torch.zeros_like(logps)
    return {"loss": loss.detach().reshape(()), "grad_logps": grad}
