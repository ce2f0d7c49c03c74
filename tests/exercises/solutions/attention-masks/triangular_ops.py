import torch


def attention_masks(lengths, max_len):
    """torch.triu / tril for the triangle, a comparison for the padding, non-contiguous views out."""
    ones = torch.ones(max_len, max_len, dtype=torch.bool)
    allowed = ones.tril()  # (T, T), True = j <= i
    keep = torch.arange(max_len).expand(len(lengths), -1) < lengths.unsqueeze(1)  # (B, T)
    causal = torch.full((max_len, max_len), float("-inf")).triu(diagonal=1)
    additive = torch.log(keep.to(torch.float64)).float()  # log 1 = 0, log 0 = -inf
    sdpa = torch.logical_and(allowed.unsqueeze(0), keep.unsqueeze(1)).unsqueeze(1)
    return {"causal": causal, "causal_bool": ones.triu(1), "key_padding": keep.logical_not(),
            "key_padding_additive": additive, "sdpa": sdpa.expand(-1, 1, -1, -1)}
