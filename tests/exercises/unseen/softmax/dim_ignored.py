"""The dim argument ignored: always normalized along the last axis.

fact: wrong only when dim is not the last axis; the output sums to 1 along the last axis instead
named_if: \bdim\b|sums? to 1 along
"""
import torch


def softmax(x, dim=-1):
    e = (x - x.amax(-1, keepdim=True)).exp()
    return e / e.sum(-1, keepdim=True)
