import torch
import torch.nn.functional as F


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    """One step of next-token prediction; returns the loss before the step, as a Python float."""
    optimizer.zero_grad()  # the previous step's gradients would otherwise accumulate
    logits = model(input_ids)  # (B, T, V)
    V = logits.shape[-1]
    # position t predicts token t+1: drop the last prediction and the first target
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, V), input_ids[:, 1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)  # after backward, before the step
    optimizer.step()
    return loss.item()
