"""Positions counted from 1: arange(1, max_len + 1).

fact: the table is shifted by one position along axis 0
named_if: shift
"""
import torch


def sinusoidal_positional_encoding(max_len, d_model):
    pos = torch.arange(1, max_len + 1, dtype=torch.float64)[:, None]
    freq = 10000.0 ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    pe = torch.zeros(max_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe.float()
