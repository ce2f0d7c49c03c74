import torch


def attention_masks(lengths, max_len):
    """Element by element, the way one would fill the masks on paper."""
    B, T = len(lengths), max_len
    causal = torch.zeros(T, T)
    causal_bool = torch.zeros(T, T, dtype=torch.bool)
    for i in range(T):
        for j in range(T):
            if j > i:
                causal[i, j] = float("-inf")
                causal_bool[i, j] = True
    key_padding = torch.zeros(B, T, dtype=torch.bool)
    key_padding_additive = torch.zeros(B, T, dtype=torch.float32)
    sdpa = torch.zeros(B, 1, T, T, dtype=torch.bool)
    for b in range(B):
        n = int(lengths[b])
        for t in range(n, T):
            key_padding[b, t] = True
            key_padding_additive[b, t] = -float("inf")
        for i in range(T):
            for j in range(min(i + 1, n)):
                sdpa[b, 0, i, j] = True
    return {"causal": causal, "causal_bool": causal_bool, "key_padding": key_padding,
            "key_padding_additive": key_padding_additive, "sdpa": sdpa}
