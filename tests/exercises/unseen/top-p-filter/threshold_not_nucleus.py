"""Keeps every token whose own probability is at least p times the top one: a threshold, not a nucleus.

fact: a different set of tokens is kept (-inf where the reference keeps a logit, or the reverse)
named_if: -inf|−inf|removed|kept
"""


def top_p_filter(logits, p):
    probs = logits.softmax(-1)
    keep = probs >= (1 - p) * probs.amax(-1, keepdim=True)
    return logits.masked_fill(~keep, float("-inf"))
