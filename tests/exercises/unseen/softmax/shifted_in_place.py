"""x -= max: the shift modifies the caller's tensor in place.

fact: modified its input x in place
named_if: in place
"""


def softmax(x, dim=-1):
    x -= x.amax(dim, keepdim=True).detach()
    e = x.exp()
    return e / e.sum(dim, keepdim=True)
