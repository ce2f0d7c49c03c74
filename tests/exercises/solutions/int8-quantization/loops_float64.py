import torch


def quantize_int8(w, dim=0):
    # channel by channel in a Python loop, in float64, rounding half away from zero
    moved = w.movedim(dim, 0).double()
    qs, scales = [], []
    for channel in moved:
        amax = float(channel.abs().max())
        scale = amax / 127 if amax > 0 else 1.0
        scaled = channel / scale
        q = torch.sign(scaled) * torch.floor(scaled.abs() + 0.5)
        qs.append(q.clamp(-127, 127))
        scales.append(scale)
    q = torch.stack(qs).movedim(0, dim).to(torch.int8)
    keep = [1] * w.ndim
    keep[dim] = -1
    return q, torch.tensor(scales, dtype=w.dtype).reshape(keep)


def dequantize_int8(q, scale):
    return (q.double() * scale.double()).to(scale.dtype)
