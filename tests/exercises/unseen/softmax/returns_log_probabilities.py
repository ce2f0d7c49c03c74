"""Returns x - logsumexp(x): the log of the softmax, not the softmax.

fact: the output is the logarithm of the reference
named_if: log
"""


def softmax(x, dim=-1):
    m = x.amax(dim, keepdim=True)
    return x - m - (x - m).exp().sum(dim, keepdim=True).log()
