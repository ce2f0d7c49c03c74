"""No zero_grad: the second call's gradients add to the first call's.

fact: the first call is right, the second onward is wrong (state kept between calls)
named_if: first (call|item).*(right|pass)|from the second|state|\[1\]
"""
import torch
import torch.nn.functional as F


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    logits = model(input_ids)[:, :-1]
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), input_ids[:, 1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    return loss.item()
