r"""gather() with the raw targets before dropping ignored rows: -100 is an out-of-range index.

fact: the exception and the line of the submission that raised it
named_if: (RuntimeError|IndexError).*line \d+|line \d+.*(RuntimeError|IndexError)
"""


def cross_entropy(logits, targets, ignore_index=-100):
    picked = logits.gather(1, targets[:, None]).squeeze(1)
    lse = logits.logsumexp(dim=-1)
    keep = targets != ignore_index
    return (lse - picked)[keep].mean()
