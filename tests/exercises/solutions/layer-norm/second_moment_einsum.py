# llmprep: layer-norm
# A correct LayerNorm with a different formula: var = E[x²] - E[x]², sums by einsum, weight as a diagonal.
import torch


def layer_norm(x, weight, bias, eps=1e-5):
    D = x.shape[-1]
    mean = torch.einsum("...d->...", x)[..., None] / D
    second = torch.einsum("...d,...d->...", x, x)[..., None] / D
    x_hat = (x - mean) / (second - mean * mean + eps).sqrt()
    return torch.einsum("...d,de->...e", x_hat, torch.diag(weight)) + bias
