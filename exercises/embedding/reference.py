import math


def embedding(ids, weight, scale=False):
    """Row lookup weight[ids] (Eᵀx for one-hot x), times √d_model when scale is True."""
    out = weight[ids]  # ids.shape + (d_model,); autograd adds repeated ids' gradients into one row
    if scale:
        out = out * math.sqrt(weight.shape[1])  # Vaswani et al. 2017, section 3.4
    return out
