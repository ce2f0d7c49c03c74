"""Calls quantize_int8, then the same file's dequantize_int8, and returns what both produced.

Trusted code run in the grading worker (and in llmprep for the reference and the mistakes):
it imports only torch and the standard library.
"""

import sys

import torch

# What this harness raises, in English and Chinese: llmprep shows the Chinese for --lang zh
# (exercises/FORMAT.md, "Messages").
MESSAGES = {
    "no-dequantize": ("define dequantize_int8(q, scale) in the same file as quantize_int8",
                      "请在 quantize_int8 所在的文件中定义 dequantize_int8(q, scale)"),
    "not-a-pair": ("quantize_int8 must return a tuple (q, scale), not {type}",
                   "quantize_int8 必须返回元组 (q, scale)，而不是 {type}"),
    "not-tensors": ("quantize_int8 must return two tensors (q, scale)", "quantize_int8 必须返回两个张量 (q, scale)"),
    "scale-shape": ("scale has shape {shape}: expected one value per channel along dim {dim}, shape {keep} "
                    "(or ({channels},))",
                    "scale 的形状是 {shape}：应沿 dim {dim} 每个通道一个值，形状为 {keep}（或 ({channels},)）"),
    "zero-scale": ('every scale must be positive: the README says "A channel of all zeros: any positive scale" '
                   "(a scale of 0 turns w / scale into 0/0)",
                   "每个 scale 都必须为正：README 写明“全零通道：scale 取任意正数”（scale 为 0 时 w / scale 变成 0/0）"),
}


def _say(key, **fields):
    return MESSAGES[key][0].format(**fields)


def _dequantize_of(entry):
    # dequantize_int8 is defined next to the entry, in the same file
    module = sys.modules.get(getattr(entry, "__module__", ""), None)
    dequantize = getattr(module, "dequantize_int8", None)
    if dequantize is None:
        raise NameError(_say("no-dequantize"))
    return dequantize


def run(entry, inputs):
    """{"dequantized", "scale", "q"}: the scale as (channels, 1, ...), 0 on all-zero channels."""
    w = inputs["args"][0]
    dim = inputs["kwargs"].get("dim", inputs["args"][1] if len(inputs["args"]) > 1 else 0) % w.ndim
    result = entry(*inputs["args"], **inputs["kwargs"])
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(_say("not-a-pair", type=type(result).__name__))
    q, scale = result
    if not isinstance(q, torch.Tensor) or not isinstance(scale, torch.Tensor):
        raise TypeError(_say("not-tensors"))
    dequantized = _dequantize_of(entry)(q, scale)

    # One scale per channel, as (C,) or keepdim (1, .., C, .., 1); a single value is let through
    # so that a per-tensor scale is judged by its values (and diagnosed), not by its shape.
    keep = [1] * w.ndim
    keep[dim] = w.shape[dim]
    if scale.numel() == w.shape[dim]:
        scale = scale.reshape(keep)
    elif scale.numel() == 1:
        scale = scale.reshape([1] * w.ndim).expand(keep)
    else:
        raise ValueError(_say("scale-shape", shape=tuple(scale.shape), dim=dim, keep=tuple(keep),
                              channels=w.shape[dim]))
    if not bool((scale > 0).all()):
        raise ValueError(_say("zero-scale"))
    # An all-zero channel may have any positive scale: q and the dequantized values are what count there.
    others = [d for d in range(w.ndim) if d != dim]
    zero_channel = (w.abs().amax(dim=others, keepdim=True) == 0) if others else (w == 0)
    scale = torch.where(zero_channel, torch.zeros_like(scale), scale)
    return {"dequantized": dequantized, "scale": scale, "q": q}
