import torch


def attention_masks(lengths: torch.Tensor, max_len: int) -> dict[str, torch.Tensor]:
    """Masks for a batch of right-padded sequences: sequence b has lengths[b] real tokens
    (1 <= lengths[b] <= max_len) followed by padding. Return a dict with

    "causal":               (T, T) float32, 0.0 where key j <= query i, -inf above the diagonal
                            (what nn.Transformer.generate_square_subsequent_mask(T) returns)
    "causal_bool":          (T, T) bool, True where query i may NOT attend key j
                            (the attn_mask convention of nn.MultiheadAttention / nn.Transformer)
    "key_padding":          (B, T) bool, True at padding positions (key_padding_mask convention)
    "key_padding_additive": (B, T) float32, -inf at padding, 0.0 elsewhere
    "sdpa":                 (B, 1, T, T) bool, True where query i MAY attend key j: causal and
                            not padding (the attn_mask convention of F.scaled_dot_product_attention)

    with T = max_len. Do not call nn.Transformer.generate_square_subsequent_mask.
    """
    raise NotImplementedError("build the five masks")
