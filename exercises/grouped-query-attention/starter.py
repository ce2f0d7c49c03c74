import torch
from torch import nn


class GroupedQueryAttention(nn.Module):
    """Grouped-query self-attention: (B, T, d_model) -> (B, T, d_model).

    n_heads query heads of d_head = d_model // n_heads features share n_kv_heads key/value heads
    (n_kv_heads divides n_heads): query head h uses KV head h // (n_heads // n_kv_heads).
    Create, without bias, q_proj: d_model -> n_heads·d_head, k_proj and v_proj: d_model ->
    n_kv_heads·d_head, out_proj: n_heads·d_head -> d_model (the checker loads the reference's
    state_dict into your module). Scale the scores by 1/√d_head.
    Do not call F.scaled_dot_product_attention or nn.MultiheadAttention.
    """

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int):
        super().__init__()
        raise NotImplementedError("create the four projections")

    def forward(self, x: torch.Tensor, is_causal: bool = False) -> torch.Tensor:
        raise NotImplementedError("write the forward pass")
