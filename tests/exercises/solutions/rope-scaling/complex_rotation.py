import torch


def rope_scaled(x, positions, base=10000.0, scaling="none", factor=1.0, original_max_position=2048):
    # pairs as complex numbers, multiplied by unit phasors; the scaling chosen with a dict of rules
    D = x.shape[-1]
    length = int(positions.max()) + 1
    stretch = factor * length / original_max_position - (factor - 1) if length > original_max_position else 1.0
    new_base = {"ntk": base * factor ** (D / (D - 2)),
                "dynamic-ntk": base * stretch ** (D / (D - 2))}.get(scaling, base)
    step = factor if scaling == "linear" else 1.0
    freqs = torch.tensor([new_base ** (-2 * i / D) for i in range(D // 2)], dtype=torch.float64)
    magnitude = 1.0
    if scaling == "yarn":  # blend per pair by how many turns it makes in the trained context
        turns = original_max_position * freqs / (2 * torch.pi)
        keep = torch.clamp((turns - 1) / 31, 0, 1)
        freqs = freqs * (keep + (1 - keep) / factor)
        magnitude = 1 + 0.1 * torch.log(torch.tensor(factor)).item()
    angles = torch.outer(positions.double() / step, freqs)
    phasor = torch.polar(torch.full_like(angles, magnitude), angles)
    pairs = torch.view_as_complex(x.double().reshape(*x.shape[:-1], D // 2, 2).contiguous())
    rotated = torch.view_as_real(pairs * phasor).flatten(-2)
    return rotated.to(x.dtype)
