import torch


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    # the loss by hand (log-sum-exp), the global norm clipped by hand, model.zero_grad(set_to_none=False)
    model.zero_grad(set_to_none=False)
    logits = model(input_ids)[:, :-1]  # (B, T-1, V)
    targets = input_ids[:, 1:]
    picked = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    loss = (torch.logsumexp(logits, dim=-1) - picked).mean()
    loss.backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    total_norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads))
    scale = min(1.0, max_grad_norm / (float(total_norm) + 1e-6))
    for g in grads:
        g.mul_(scale)
    optimizer.step()
    return float(loss.detach())
