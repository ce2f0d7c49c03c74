"""All sines first, then all cosines (cat), instead of interleaving them pair by pair.

fact: the right values in the wrong places (columns permuted: even columns first, then odd)
named_if: wrong places|permut|reorder
"""
import torch


def sinusoidal_positional_encoding(max_len, d_model):
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    freq = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    return torch.cat([torch.sin(pos * freq), torch.cos(pos * freq)], dim=1).float()
