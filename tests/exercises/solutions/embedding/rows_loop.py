# llmprep: embedding
# A correct embedding in another style: one row at a time, stacked.
import torch


def embedding(ids, weight, scale=False):
    factor = weight.shape[1] ** 0.5 if scale else 1.0
    rows = [weight[i] * factor for i in ids.reshape(-1).tolist()]
    if not rows:
        return weight.new_zeros(*ids.shape, weight.shape[1])
    return torch.stack(rows).reshape(*ids.shape, weight.shape[1])
