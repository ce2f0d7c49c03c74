"""Divided by the sum of the whole tensor: e / e.sum() (the max is still taken along dim).

fact: the rows do not sum to 1 along dim; the whole tensor sums to 1
named_if: sum to 1|sums to 1
"""


def softmax(x, dim=-1):
    e = (x - x.amax(dim, keepdim=True)).exp()
    return e / e.sum()
