import torch


def sliding_window_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, window: int) -> torch.Tensor:
    """Causal sliding-window attention (Mistral): softmax(q kᵀ / √D, masked) v.

    q: (..., L, D), k: (..., S, D), v: (..., S, Dv) -> (..., L, Dv), with L <= S.
    The queries are the LAST L of the S positions: query t sits at position S - L + t.
    A query at position i attends keys j with i - window < j <= i (window keys, itself included).
    Do not call F.scaled_dot_product_attention.
    """
    raise NotImplementedError("write sliding_window_attention")
