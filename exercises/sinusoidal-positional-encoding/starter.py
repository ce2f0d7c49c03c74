import torch


def sinusoidal_positional_encoding(max_len: int, d_model: int) -> torch.Tensor:
    """The (max_len, d_model) float32 table of Vaswani et al. 2017 (d_model even):

    PE[p, 2i]   = sin(p / 10000^(2i / d_model))
    PE[p, 2i+1] = cos(p / 10000^(2i / d_model))
    """
    raise NotImplementedError("write sinusoidal_positional_encoding")
