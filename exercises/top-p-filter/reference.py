import torch
from torch import Tensor


def top_p_filter(logits: Tensor, p: float) -> Tensor:
    """Nucleus filter: keep the smallest set of most likely tokens whose probability reaches p."""
    probs = torch.softmax(logits, dim=-1)                         # (..., V)
    sorted_probs, order = probs.sort(dim=-1, descending=True)     # (..., V), most likely first
    mass_before = sorted_probs.cumsum(dim=-1) - sorted_probs      # probability of the tokens ahead
    remove_sorted = mass_before >= p                              # p already reached without it
    remove = remove_sorted.scatter(-1, order, remove_sorted)      # back to vocabulary order
    return logits.masked_fill(remove, float("-inf"))              # (..., V), kept logits unchanged
