import torch


def attention_masks(lengths, max_len):
    """The causal and key-padding masks of a right-padded batch, in PyTorch's conventions."""
    T = max_len
    positions = torch.arange(T, device=lengths.device)  # (T,)
    future = positions[None, :] > positions[:, None]  # (T, T): key j after query i
    padding = positions[None, :] >= lengths[:, None]  # (B, T): position t is padding
    zeros = torch.zeros((), dtype=torch.float32, device=lengths.device)
    minus_inf = torch.full((), float("-inf"), dtype=torch.float32, device=lengths.device)
    return {
        "causal": torch.where(future, minus_inf, zeros),  # (T, T) = generate_square_subsequent_mask(T)
        "causal_bool": future,  # (T, T), True = may NOT attend (nn.MultiheadAttention attn_mask)
        "key_padding": padding,  # (B, T), True = padding (key_padding_mask)
        "key_padding_additive": torch.where(padding, minus_inf, zeros),  # (B, T)
        "sdpa": (~future[None, :, :] & ~padding[:, None, :])[:, None],  # (B, 1, T, T), True = may attend
    }
