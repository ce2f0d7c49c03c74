r"""No special case for temperature 0: logits / 0 gives inf and NaN probabilities.

fact: fails only when temperature is 0, with the exception and its line
named_if: temperature|line \d+
"""
import torch


def sample_next_token(logits, generator, temperature=1.0, top_k=None, top_p=None):
    z = logits / temperature
    if top_k is not None:
        kth = z.topk(min(top_k, z.shape[-1]), dim=-1).values[..., -1:]
        z = z.masked_fill(z < kth, float("-inf"))
    if top_p is not None:
        probs, order = z.softmax(-1).sort(-1, descending=True)
        ahead = probs.cumsum(-1) - probs
        drop = torch.zeros_like(z, dtype=torch.bool).scatter(-1, order, ahead >= top_p)
        z = z.masked_fill(drop, float("-inf"))
    return torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(-1)
