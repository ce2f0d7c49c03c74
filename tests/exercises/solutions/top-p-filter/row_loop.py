import math

import torch


def top_p_filter(logits, p):
    # One row at a time in plain Python: walk the tokens from the most likely and stop once
    # the mass collected reaches p.
    flat = logits.reshape(-1, logits.shape[-1])
    out = torch.full_like(flat, float("-inf"))
    for r in range(flat.shape[0]):
        row = [float(v) for v in flat[r]]
        top = max(row)
        weights = [math.exp(v - top) for v in row]
        total = sum(weights)
        mass = 0.0
        for i in sorted(range(len(row)), key=lambda j: -row[j]):
            if mass >= p or weights[i] == 0.0:
                break
            out[r, i] = flat[r, i]
            mass += weights[i] / total
    return out.reshape(logits.shape)
