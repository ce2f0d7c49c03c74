import torch


def cross_entropy(logits, targets, ignore_index=-100):
    # one row at a time, the maximum subtracted by hand (and detached: its gradient cancels anyway)
    total, count = logits.new_zeros(()), 0
    for row, target in zip(logits, targets.tolist(), strict=True):
        if target == ignore_index:
            continue
        m = row.max().detach()
        total = total + (m + torch.log(torch.sum(torch.exp(row - m)))) - row[target]
        count += 1
    return total / count
