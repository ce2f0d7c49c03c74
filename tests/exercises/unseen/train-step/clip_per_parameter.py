"""Each parameter's gradient clipped on its own, not the global norm of all of them.

fact: wrong only when clipping bites (a small max_grad_norm)
named_if: max_grad_norm
"""
import torch
import torch.nn.functional as F


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    logits = model(input_ids)[:, :-1]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), input_ids[:, 1:].reshape(-1))
    loss.backward()
    for p in model.parameters():
        torch.nn.utils.clip_grad_norm_([p], max_grad_norm)
    optimizer.step()
    return loss.item()
