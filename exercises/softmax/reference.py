from torch import Tensor


def softmax(x: Tensor, dim: int = -1) -> Tensor:
    """softmax along `dim`, shifted by the maximum so exp never overflows."""
    shifted = x - x.amax(dim=dim, keepdim=True)  # every exponent <= 0
    e = shifted.exp()
    return e / e.sum(dim=dim, keepdim=True)
