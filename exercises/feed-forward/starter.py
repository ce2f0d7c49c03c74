import torch


def feed_forward(
    x: torch.Tensor,
    w1: torch.Tensor,
    b1: torch.Tensor | None,
    w2: torch.Tensor,
    b2: torch.Tensor | None,
    activation: str = "relu",
    w3: torch.Tensor | None = None,
    b3: torch.Tensor | None = None,
) -> torch.Tensor:
    """The position-wise feed-forward network of a Transformer block.

    x: (..., d_model). Weights in nn.Linear layout (out_features, in_features):
    w1: (d_ff, d_model), b1: (d_ff,), w2: (d_model, d_ff), b2: (d_model,); any bias may be None.
    activation "relu" or "gelu" (exact, erf-based): W2·act(W1 x + b1) + b2.
    activation "swiglu": W2·(SiLU(W1 x + b1) ⊙ (W3 x + b3)) + b2, with w3: (d_ff, d_model), b3: (d_ff,) or None.
    Returns (..., d_model).
    """
    raise NotImplementedError("write feed_forward")
