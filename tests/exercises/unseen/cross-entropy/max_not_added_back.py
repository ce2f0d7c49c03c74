"""Log-sum-exp of the shifted row (x - max) used without adding the max back.

fact: the loss is off by an additive offset (the mean row maximum)
named_if: offset|additive|\bplus\b|\bminus\b
"""


def cross_entropy(logits, targets, ignore_index=-100):
    keep = targets != ignore_index
    x = logits[keep]
    m = x.amax(-1, keepdim=True)
    lse = (x - m).exp().sum(-1).log()
    picked = x.gather(1, targets[keep][:, None]).squeeze(1)
    return (lse - picked).mean()
