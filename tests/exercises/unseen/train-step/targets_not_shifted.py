"""The loss compares logits[:, t] with input_ids[:, t]: targets not shifted by one.

fact: the returned loss is wrong from the first call (the loss, not only the parameters)
named_if: loss
"""
import torch
import torch.nn.functional as F


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    logits = model(input_ids)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), input_ids.reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    return loss.item()
