r"""z.topk(top_k) without min(top_k, V): raises when top_k is larger than the vocabulary.

fact: the exception (RuntimeError from topk) with the submission's line, only when top_k ≥ V
named_if: RuntimeError.*line \d+|line \d+.*RuntimeError
"""
import torch


def sample_next_token(logits, generator, temperature=1.0, top_k=None, top_p=None):
    if temperature == 0:
        return logits.argmax(-1)
    z = logits / temperature
    if top_k is not None:
        kth = z.topk(top_k, dim=-1).values[..., -1:]
        z = z.masked_fill(z < kth, float("-inf"))
    if top_p is not None:
        probs, order = z.softmax(-1).sort(-1, descending=True)
        ahead = probs.cumsum(-1) - probs
        drop = torch.zeros_like(z, dtype=torch.bool).scatter(-1, order, ahead >= top_p)
        z = z.masked_fill(drop, float("-inf"))
    return torch.multinomial(z.softmax(-1), 1, generator=generator).squeeze(-1)
