import torch


def sample_next_token(logits: torch.Tensor, generator: torch.Generator, temperature: float = 1.0,
                      top_k: int | None = None, top_p: float | None = None) -> torch.Tensor:
    """Sample one token id per row of logits (B, V); return a (B,) int64 tensor.

    temperature == 0: greedy (argmax). Otherwise, in this order: divide the logits by the
    temperature; keep the top_k largest (if top_k is not None); keep the top-p nucleus of the
    renormalized distribution that is left (if top_p is not None); sample from the softmax of
    what remains. Draw every random number from `generator`, never from the global RNG.
    """
    raise NotImplementedError("write sample_next_token")
