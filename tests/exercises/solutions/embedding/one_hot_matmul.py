# llmprep: embedding
# A correct embedding in another style: Eᵀx as a matrix product, one_hot(ids) @ weight.
import torch
import torch.nn.functional as F


def embedding(ids, weight, scale=False):
    one_hot = F.one_hot(ids, num_classes=weight.shape[0]).to(weight.dtype)  # ids.shape + (V,)
    out = one_hot @ weight
    if scale:
        out = out * torch.tensor(weight.shape[1], dtype=torch.float64).sqrt().item()
    return out
