"""weight[ids.reshape(-1)]: the output loses the shape of ids ((N, d_model) for every ids).

fact: wrong shape for ids that are not 1-D
named_if: shape
"""


def embedding(ids, weight, scale=False):
    out = weight.index_select(0, ids.reshape(-1))
    if scale:
        out = out * weight.shape[1] ** 0.5
    return out
