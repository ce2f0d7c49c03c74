import torch


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Nucleus (top-p) filter over the last dimension of logits (..., V).

    The nucleus is the smallest set of highest-probability tokens (softmax over the last dim)
    whose cumulative probability is >= p; the most likely token is always kept. Return a
    tensor of the same shape and dtype in vocabulary order: kept logits unchanged, every
    other entry -inf. Do not modify `logits` in place.
    """
    raise NotImplementedError("write top_p_filter")
