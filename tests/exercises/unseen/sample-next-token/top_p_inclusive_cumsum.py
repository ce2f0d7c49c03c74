"""top-p with the inclusive cumsum: drops the token that carries the sum past p.

fact: wrong only when top_p is set (a kept token is never drawn)
named_if: top_p
"""
import torch


def sample_next_token(logits, generator, temperature=1.0, top_k=None, top_p=None):
    if temperature == 0:
        return logits.argmax(-1)
    z = logits / temperature
    if top_k is not None:
        kth = z.topk(min(top_k, z.shape[-1]), dim=-1).values[..., -1:]
        z = z.masked_fill(z < kth, float("-inf"))
    if top_p is not None:
        probs, order = z.softmax(-1).sort(-1, descending=True)
        drop_sorted = probs.cumsum(-1) > top_p
        drop_sorted[..., 0] = False
        drop = torch.zeros_like(z, dtype=torch.bool).scatter(-1, order, drop_sorted)
        z = z.masked_fill(drop, float("-inf"))
    return torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(-1)
