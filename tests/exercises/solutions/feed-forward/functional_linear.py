# llmprep: feed-forward
# A correct FFN in another style: F.linear (which takes a None bias) and the activation built-ins.
import torch.nn.functional as F


def feed_forward(x, w1, b1, w2, b2, activation="relu", w3=None, b3=None):
    hidden = F.linear(x, w1, b1)
    if activation == "swiglu":
        hidden = F.silu(hidden) * F.linear(x, w3, b3)
    else:
        hidden = F.relu(hidden) if activation == "relu" else F.gelu(hidden)
    return F.linear(hidden, w2, b2)
