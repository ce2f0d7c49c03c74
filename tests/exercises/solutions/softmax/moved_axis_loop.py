import torch


def softmax(x, dim=-1):
    # move the axis last, normalize row by row in a Python loop
    moved = x.movedim(dim, -1)
    rows = moved.reshape(-1, moved.shape[-1])
    out = []
    for row in rows:
        e = torch.exp(row - torch.max(row))
        out.append(e / torch.sum(e))
    result = torch.stack(out) if out else rows.clone()
    return result.reshape(moved.shape).movedim(-1, dim)
