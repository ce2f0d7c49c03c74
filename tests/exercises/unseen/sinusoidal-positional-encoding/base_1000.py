"""Frequencies from base 1000 instead of 10000.

fact: the first pair of columns (i = 0) and position 0 are right, the rest wrong
named_if: index 0|position 0|first|from (index|column) 2|axis 1
"""
import torch


def sinusoidal_positional_encoding(max_len, d_model):
    pos = torch.arange(max_len, dtype=torch.float64)[:, None]
    freq = 1000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe.float()
