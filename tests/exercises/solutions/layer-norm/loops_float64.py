# llmprep: layer-norm
# A correct LayerNorm in another style: one row at a time, statistics in float64.

import torch


def layer_norm(x, weight, bias, eps=1e-5):
    rows = x.reshape(-1, x.shape[-1]).double()
    out = []
    for row in rows:
        D = row.shape[0]
        mean = sum(row[j] for j in range(D)) / D
        var = sum((row[j] - mean) ** 2 for j in range(D)) / D
        out.append((row - mean) / torch.sqrt(var + eps))
    normalized = torch.stack(out).reshape(x.shape).to(x.dtype)
    return normalized * weight + bias
