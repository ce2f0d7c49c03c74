"""Calls grpo_loss with the current policy's log-probabilities as a leaf and back-propagates the
loss. The output is the loss and its gradient with respect to `logps` only: old_logps, ref_logps
and the rewards are constants of the step, so detaching them or not changes nothing. Runs in the
worker: torch only."""

import torch


def run(entry, inputs):
    args, kwargs = list(inputs["args"]), dict(inputs["kwargs"])
    logps = args[0].detach().clone().requires_grad_(True)
    loss = entry(logps, *args[1:], **kwargs)
    if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
        raise TypeError(f"grpo_loss returned {type(loss).__name__} of shape "
                        f"{tuple(getattr(loss, 'shape', ()))}: return the loss as a one-element tensor")
    if not loss.requires_grad:
        raise RuntimeError("the loss is not connected to logps by autograd (detached, or computed under no_grad)")
    loss.reshape(()).backward()
    grad = logps.grad if logps.grad is not None else torch.zeros_like(logps)
    return {"loss": loss.detach().reshape(()), "grad_logps": grad}
