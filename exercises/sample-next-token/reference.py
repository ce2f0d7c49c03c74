import torch
from torch import Tensor


def sample_next_token(logits: Tensor, generator: torch.Generator, temperature: float = 1.0,
                      top_k: int | None = None, top_p: float | None = None) -> Tensor:
    """One token per row from softmax(logits / T), restricted to the top-k, then to the top-p nucleus."""
    if temperature == 0:
        return logits.argmax(dim=-1)                                   # (B,) greedy
    z = logits / temperature                                           # (B, V)
    if top_k is not None:
        k = min(top_k, z.size(-1))
        kth_largest = z.topk(k, dim=-1).values[:, -1:]                 # (B, 1)
        z = z.masked_fill(z < kth_largest, float("-inf"))
    if top_p is not None:
        sorted_probs, order = torch.softmax(z, dim=-1).sort(dim=-1, descending=True)
        remove_sorted = sorted_probs.cumsum(dim=-1) - sorted_probs >= top_p   # p reached without it
        z = z.masked_fill(remove_sorted.scatter(-1, order, remove_sorted), float("-inf"))
    probs = torch.softmax(z, dim=-1)                                   # (B, V), renormalized
    return torch.multinomial(probs, num_samples=1, generator=generator).squeeze(-1)  # (B,)
