import torch
import torch.nn.functional as F  # noqa: F401 (F.cross_entropy is allowed here)


def train_step(model: torch.nn.Module, optimizer: torch.optim.Optimizer, input_ids: torch.Tensor,
               max_grad_norm: float = 1.0) -> float:
    """One training step of a causal language model; returns the loss (before the step) as a float.

    model(input_ids) returns logits (B, T, V). The loss is the mean cross-entropy of logits[:, :-1]
    against input_ids[:, 1:]. Zero the gradients, backward, clip the global gradient norm to
    max_grad_norm, optimizer.step(). F.cross_entropy and clip_grad_norm_ are allowed.
    """
    raise NotImplementedError("write train_step")
