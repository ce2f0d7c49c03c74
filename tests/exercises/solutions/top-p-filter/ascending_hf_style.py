import torch


def top_p_filter(logits, p):
    # The Hugging Face formulation: sort ascending and drop the tail whose total is <= 1 - p,
    # computed in float64, applied with torch.where on a copy.
    probs = torch.softmax(logits.double(), dim=-1)
    sorted_probs, order = torch.sort(probs, dim=-1)
    tail = sorted_probs.cumsum(dim=-1) <= 1 - p
    tail[..., -1] = False  # the most likely token stays
    remove = torch.zeros_like(tail).scatter(-1, order, tail)
    return torch.where(remove, torch.full_like(logits, float("-inf")), logits)
