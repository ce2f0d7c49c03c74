"""The exponent uses the column index j instead of the pair's 2i: cosine columns get the next frequency.

fact: wrong only at odd columns (the cosines); the sine columns are right
named_if: odd
"""
import torch


def sinusoidal_positional_encoding(max_len, d_model):
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pos = torch.arange(max_len, dtype=torch.float64)
    for j in range(d_model):
        angle = pos / 10000.0 ** (j / d_model)
        pe[:, j] = torch.sin(angle) if j % 2 == 0 else torch.cos(angle)
    return pe.float()
