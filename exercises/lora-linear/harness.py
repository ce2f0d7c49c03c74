"""Builds the LoRA layer, checks its own initialization, then loads known weights and checks the
forward pass, the gradients (only lora_A and lora_B may get any) and merge().

Trusted code run in the grading worker (and in llmprep for the reference and the mistakes):
it imports only torch and the standard library.
"""

import torch
import torch.nn.functional as F

# How close "equals the base layer at init" must be: B = 0 makes it exact up to rounding.
_INIT_TOLERANCE = {torch.float64: 1e-10, torch.float32: 1e-5, torch.float16: 1e-2, torch.bfloat16: 5e-2}


def _flag(condition, dtype):
    return torch.tensor(1.0 if condition else 0.0, dtype=dtype)


def _grad_or_zeros(parameter):
    return parameter.grad.detach().clone() if parameter.grad is not None else torch.zeros_like(parameter)


def run(entry, inputs):
    """The layer's outputs, gradients (zeros where none arrived) and merged output, plus 0/1 flags
    for its own initialization (the base is frozen if no gradient reaches it, however that is done)."""
    dtype, device = getattr(torch, inputs["dtype"]), inputs["device"]
    x = inputs["args"][0]
    layer = entry(**inputs["init"]).to(dtype=dtype, device=device)  # its own initialization
    base_params = (layer.base.weight, layer.base.bias)
    with torch.no_grad():
        at_init = layer(x)
        base_output = F.linear(x, *base_params)
    tolerance = _INIT_TOLERANCE[dtype]
    checks = {
        "equals_base_at_init": _flag(torch.allclose(at_init, base_output, rtol=tolerance, atol=tolerance), dtype),
        "lora_A_nonzero_at_init": _flag(bool(layer.lora_A.detach().abs().sum() > 0), dtype),
    }

    # Known weights: the reference's initialization, and a B as if after some training
    # (drawn from the seed, rounded to float32 so float32 and float64 runs see the same values).
    layer.load_state_dict(inputs["state_dict"], strict=True)
    generator = torch.Generator().manual_seed(int(inputs["seed"]))
    trained_B = torch.randn(tuple(layer.lora_B.shape), generator=generator, dtype=torch.float64).float()
    with torch.no_grad():
        layer.lora_B.copy_(trained_B.to(dtype))

    x = x.detach().clone().requires_grad_(True)
    output = layer(x)
    cotangent = torch.randn(tuple(output.shape), generator=generator, dtype=torch.float64).float()
    (output * cotangent.to(dtype=output.dtype, device=device)).sum().backward()

    with torch.no_grad():
        merged = layer.merge()
        merged_output = merged(x.detach())
        output_after_merge = layer(x.detach())  # merge() must leave the layer itself unchanged
    return {
        "output": output.detach(),
        "merged_output": merged_output,
        "output_after_merge": output_after_merge,
        "grad_x": _grad_or_zeros(x),
        "grad_lora_A": _grad_or_zeros(layer.lora_A),
        "grad_lora_B": _grad_or_zeros(layer.lora_B),
        "grad_base": torch.cat([_grad_or_zeros(p).reshape(-1) for p in base_params]),
        **checks,
    }
