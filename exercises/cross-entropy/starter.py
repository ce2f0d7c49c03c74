import torch


def cross_entropy(logits: torch.Tensor, targets: torch.Tensor, ignore_index: int = -100) -> torch.Tensor:
    """Mean of -log softmax(logits)[i, targets[i]] over the rows i whose target is not ignore_index.

    logits (N, C) float, targets (N,) int64; returns a 0-dim tensor in the dtype of logits.
    Must stay finite for logits up to ±1e4. Do not call F.cross_entropy, F.nll_loss,
    nn.CrossEntropyLoss, F.log_softmax or torch.log_softmax.
    """
    raise NotImplementedError("write cross_entropy")
