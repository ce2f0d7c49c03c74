"""The sorted-order mask brought back with gather(order) instead of scatter(order): wrong tokens removed.

fact: the kept tokens are not the reference's (-inf where it keeps a logit)
named_if: -inf|−inf|removed|kept
"""


def top_p_filter(logits, p):
    probs, order = logits.softmax(-1).sort(-1, descending=True)
    ahead = probs.cumsum(-1) - probs
    remove = (ahead >= p).gather(-1, order)
    return logits.masked_fill(remove, float("-inf"))
