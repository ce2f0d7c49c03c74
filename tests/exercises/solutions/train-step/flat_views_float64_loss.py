import torch.nn.functional as F
from torch.nn.utils import clip_grad_norm_


def train_step(model, optimizer, input_ids, max_grad_norm=1.0):
    # the loss in float64 over contiguous flattened views; clip_grad_norm_ imported by name
    optimizer.zero_grad(set_to_none=True)
    logits = model(input_ids)
    vocab = logits.size(-1)
    predictions = logits[:, :-1, :].contiguous().view(-1, vocab).double()
    targets = input_ids[:, 1:].contiguous().view(-1)
    loss = F.cross_entropy(predictions, targets, reduction="sum") / targets.numel()
    loss.backward()
    clip_grad_norm_(list(model.parameters()), max_norm=max_grad_norm, norm_type=2.0)
    optimizer.step()
    return loss.item()
