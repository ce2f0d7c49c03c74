import torch


def softmax(x: torch.Tensor, dim: int = -1) -> torch.Tensor:
    """softmax(x)_i = exp(x_i) / sum_j exp(x_j) along `dim`; same shape and dtype as x.

    Must stay finite for inputs up to ±1e4. Do not call torch.softmax, F.softmax,
    Tensor.softmax or log_softmax.
    """
    raise NotImplementedError("write softmax")
