"""Recording calls of banned built-ins while a case runs, at three levels.

1. Module attributes are replaced by recording wrappers (catches `from torch.nn.functional
   import softmax` made after the ban); banned classes are recorded when constructed.
2. A TorchFunctionMode matches every torch function call against the banned objects by identity
   (catches aliases such as torch._C._VariableFunctions.softmax or torch._C.TensorBase.softmax).
3. The aten operators behind each banned function are known: a call through `torch.ops.aten`
   (seen by the function mode, so composite operators count before they decompose) and any
   operator that reaches the kernel dispatcher (a TorchDispatchMode) is recorded by name too,
   e.g. `torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(...)`.

The calls still run; the case fails on the record. This file imports nothing from llmprep: the
worker loads it by path.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

# The aten operators that do a banned function's whole job, by the function's last name part.
_SDPA = ("scaled_dot_product_attention", "_scaled_dot_product_attention_math", "_fused_sdp_choice",
         "_scaled_dot_product_flash_attention", "_scaled_dot_product_flash_attention_for_cpu",
         "_scaled_dot_product_efficient_attention", "_scaled_dot_product_cudnn_attention",
         "_scaled_dot_product_fused_attention_overrideable")
_NLL = ("nll_loss", "nll_loss_nd", "nll_loss_forward", "nll_loss2d", "nll_loss2d_forward")
_EMBEDDING = ("embedding", "embedding_bag", "_embedding_bag")
ATEN_OPS: dict[str, tuple[str, ...]] = {
    "scaled_dot_product_attention": _SDPA,
    "multi_head_attention_forward": ("_native_multi_head_attention", *_SDPA),
    "MultiheadAttention": ("_native_multi_head_attention", *_SDPA),
    "softmax": ("softmax", "_softmax", "special_softmax"),
    "log_softmax": ("log_softmax", "_log_softmax", "special_log_softmax"),
    "layer_norm": ("layer_norm", "native_layer_norm"),
    "native_layer_norm": ("layer_norm", "native_layer_norm"),
    "rms_norm": ("rms_norm", "_fused_rms_norm"),
    "RMSNorm": ("rms_norm", "_fused_rms_norm"),
    "cross_entropy": ("cross_entropy_loss", *_NLL),
    "cross_entropy_loss": ("cross_entropy_loss", *_NLL),
    "nll_loss": _NLL,
    "kl_div": ("kl_div",),
    "KLDivLoss": ("kl_div",),
    "embedding": _EMBEDDING,
    "Embedding": _EMBEDDING,
    "quantize_per_tensor": ("quantize_per_tensor", "quantize_per_tensor_dynamic"),
    "quantize_per_channel": ("quantize_per_channel",),
    "fake_quantize_per_channel_affine": ("fake_quantize_per_channel_affine",
                                         "fake_quantize_per_channel_affine_cachemask"),
    "TransformerEncoderLayer": ("_transformer_encoder_layer_fwd",),
    "TransformerEncoder": ("_transformer_encoder_layer_fwd",),
    "adamw": ("_fused_adamw", "_fused_adamw_"),
    "AdamW": ("_fused_adamw", "_fused_adamw_"),
    "Adam": ("_fused_adam", "_fused_adam_"),
}


def aten_ops_behind(dotted: str) -> tuple[str, ...]:
    """The aten operator names that do the work of the banned `dotted` function or class."""
    return ATEN_OPS.get(dotted.rpartition(".")[2], ())


class BannedCallRecorder:
    """Records calls of banned built-ins, by name, while a case runs (see the module docstring)."""

    def __init__(self) -> None:
        self.used: list[str] = []
        self._by_identity: dict[int, str] = {}
        self._by_aten: dict[str, str] = {}
        self._objects: list[Any] = []  # keeps the banned objects alive, so their ids stay theirs

    def ban(self, dotted_names: list[str], *, patch: bool = True) -> None:
        """Ban each `module.attr`, `Class.method` or class named. With `patch=False` nothing is
        replaced (levels 2 and 3 only): for recording in llmprep's own process, whose modules
        must stay as they are; a banned class is then seen only through its aten operators."""
        for dotted in dotted_names:
            for op in aten_ops_behind(dotted):
                self._by_aten.setdefault(op, dotted)
            owner_path, _, attr = dotted.rpartition(".")
            owner = _resolve(owner_path)
            if owner is None or not hasattr(owner, attr):
                continue
            original = getattr(owner, attr)
            if isinstance(original, type):
                if patch:
                    self._ban_class(original, dotted)
                continue
            self._by_identity[id(original)] = dotted
            self._objects.append(original)
            if patch:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(owner, attr, self._wrap(original, dotted))

    def recording(self):
        """A context manager that watches torch function calls and aten operators while a case runs."""
        if not self._by_identity and not self._by_aten:
            return contextlib.nullcontext()
        from torch._ops import OpOverload, OpOverloadPacket
        from torch.overrides import TorchFunctionMode
        from torch.utils._python_dispatch import TorchDispatchMode

        by_identity, by_aten, used = self._by_identity, self._by_aten, self.used

        class _BannedCallMode(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                name = by_identity.get(id(func))
                if name is not None:
                    used.append(name)
                elif isinstance(func, (OpOverload, OpOverloadPacket)):  # torch.ops.aten.<op>[.overload](...)
                    op = func.__name__.split(".")[0]
                    if op in by_aten:
                        used.append(f"{by_aten[op]} (as torch.ops.aten.{op})")
                return func(*args, **(kwargs or {}))

        class _BannedOperatorMode(TorchDispatchMode):
            @classmethod
            def _should_skip_dynamo(cls) -> bool:
                # True (torch's default) wraps __torch_dispatch__ in torch._dynamo.disable, whose
                # first call imports torch._dynamo: 1.8 s of every worker's start for nothing.
                return False

            def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                op = func._overloadpacket.__name__
                if op in by_aten:
                    used.append(f"{by_aten[op]} (as aten.{op})")
                return func(*args, **(kwargs or {}))

        stack = contextlib.ExitStack()
        stack.enter_context(_BannedCallMode())
        if by_aten:
            stack.enter_context(_BannedOperatorMode())
        return stack

    def _wrap(self, original, dotted):
        used = self.used

        def banned_call(*args, **kwargs):
            used.append(dotted)
            return original(*args, **kwargs)

        banned_call.__name__ = getattr(original, "__name__", dotted)
        banned_call.__doc__ = getattr(original, "__doc__", None)
        return banned_call

    def _ban_class(self, cls, dotted):
        used = self.used
        original_init = cls.__init__

        def recording_init(obj, *args, **kwargs):
            used.append(dotted)
            original_init(obj, *args, **kwargs)

        cls.__init__ = recording_init


def warm_up() -> None:
    """Enter both modes once around a tiny forward, so the first entry's set-up is paid before the
    worker says ready (while llmprep prepares the cases, or while `watch` waits for a save), not
    inside the first case's time. No backward (its first run costs ~3 ms): on a machine with a GPU
    it starts autograd's device threads, and processes forked afterwards (the ranks of the
    distributed exercises) can then never run one."""
    import torch

    recorder = BannedCallRecorder()
    recorder._by_aten["no such operator"] = "warm-up"
    with recorder.recording():
        x = torch.ones(2, 3, requires_grad=True)
        (x.softmax(-1) * 2).sum()


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for part in parts[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj
