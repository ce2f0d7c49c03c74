import torch


def scaled_dot_product_attention(
    q: torch.Tensor,
    k: torch.Tensor,
    v: torch.Tensor,
    mask: torch.Tensor | None = None,
    is_causal: bool = False,
) -> torch.Tensor:
    """softmax(q kᵀ / √D + M) v.

    q: (..., L, D), k: (..., S, D), v: (..., S, Dv) -> (..., L, Dv).
    mask: bool, broadcastable to (..., L, S); True = may attend.
    is_causal: query i attends keys j <= i (top-left aligned, also when L != S).
    Do not call F.scaled_dot_product_attention or nn.MultiheadAttention.
    """
    raise NotImplementedError("write scaled_dot_product_attention")
