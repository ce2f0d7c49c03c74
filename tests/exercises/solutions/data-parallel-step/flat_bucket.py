import torch
import torch.distributed as dist


def data_parallel_step(model, optimizer, inputs, targets):
    # one all-reduce over a flat bucket of every gradient, pre-scaled by 1/world_size
    for p in model.parameters():
        p.grad = None
    logits = model(inputs)
    log_probs = logits - torch.logsumexp(logits, dim=-1, keepdim=True)
    loss = -log_probs.gather(1, targets[:, None]).mean()
    loss.backward()
    grads = [p.grad for p in model.parameters()]
    bucket = torch.cat([g.reshape(-1) for g in grads]) / dist.get_world_size()
    dist.all_reduce(bucket)
    offset = 0
    for g in grads:
        g.copy_(bucket[offset:offset + g.numel()].view_as(g))
        offset += g.numel()
    optimizer.step()
    return float(loss)
