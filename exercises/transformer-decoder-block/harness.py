"""Runs the decoder block twice, on tgt and on tgt changed at one position j, and differentiates it.

Returns both outputs (the spec checks that outputs before j are bit-identical), j itself, and the
gradients of (output · cotangent).sum() for tgt, memory and every parameter. Imports torch only."""

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "not-a-tensor": ("forward returned {type}, expected a Tensor (B, T, d_model)",
                     "forward 返回了 {type}，应返回张量 (B, T, d_model)"),
    "detached": ("the output is not connected to the inputs by autograd (detached, or under no_grad)",
                 "输出没有通过 autograd 连到输入（被 detach 了，或在 no_grad 下计算）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def run(entry, inputs):
    """Build the block with the case's weights, call it, change the target at j, call it again."""
    block = entry(**inputs["init"]).to(getattr(torch, inputs["dtype"])).to(inputs["device"])
    block.load_state_dict(inputs["state_dict"], strict=True)
    tgt, memory = inputs["args"]
    kwargs = inputs["kwargs"]
    T, seed = tgt.shape[1], int(inputs["seed"])
    changed_at = 1 + seed % (T - 1) if T > 1 else 0

    tgt_leaf = tgt.detach().clone().requires_grad_(True)
    memory_leaf = memory.detach().clone().requires_grad_(True)
    output = block(tgt_leaf.clone(), memory_leaf.clone(), **kwargs)
    if not isinstance(output, torch.Tensor):
        raise TypeError(_say("not-a-tensor", type=type(output).__name__))
    if not output.requires_grad:
        raise RuntimeError(_say("detached"))
    # Multiples of 1/4 are exact in every dtype, so the reference and the submission share the cotangent.
    generator = torch.Generator().manual_seed(seed + 1)
    cotangent = torch.randint(-4, 5, tuple(output.shape), generator=generator) / 4
    (output * cotangent.to(output.dtype).to(output.device)).sum().backward()

    changed = tgt.detach().clone()
    changed[:, changed_at] = -2 * changed[:, changed_at]  # exact in every dtype
    with torch.no_grad():
        output_after_change = block(changed, memory.detach().clone(), **kwargs)
    return {
        "output": output.detach(),
        "changed_at": changed_at,
        "output_after_change": output_after_change,
        "grad_tgt": tgt_leaf.grad,
        "grad_memory": memory_leaf.grad,
        "grad_parameters": {name: p.grad for name, p in block.named_parameters()},
    }
