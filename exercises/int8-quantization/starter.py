import torch


def quantize_int8(w: torch.Tensor, dim: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric per-channel int8 quantization of w, one scale per index along `dim`.

    Returns (q, scale): q is torch.int8 with w's shape, every value in [-127, 127];
    scale has w's dtype and shape with every axis except `dim` reduced to 1, so that
    q * scale broadcasts back to w. scale = max|w| over the channel / 127.
    Do not call torch.quantize_per_channel or the fake_quantize functions.
    """
    raise NotImplementedError("write the quantization")


def dequantize_int8(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """The float tensor q represents: q * scale, in scale's dtype."""
    raise NotImplementedError("write the dequantization")
