"""logits[:, 1:] against input_ids[:, :-1]: each position predicts the token before it.

fact: the returned loss is wrong from the first call
named_if: loss
"""
import torch
import torch.nn.functional as F


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    optimizer.zero_grad()
    logits = model(input_ids)[:, 1:]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), input_ids[:, :-1].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    return loss.item()
