"""Export to ONNX with torch.onnx and run it with ONNX Runtime, on the provider that really works.

The dynamo exporter is tried first; if it fails, the TorchScript exporter, and the result says so.
onnxruntime-gpu lists CUDAExecutionProvider even where the CUDA libraries are missing and then
quietly runs on the CPU, so the provider that ran is read back from the session, never assumed.
"""

from __future__ import annotations

import io
import logging
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUIET = 3  # onnxruntime severity: errors only; its warnings about fallbacks are reported by us


@dataclass
class ExportResult:
    """How a model was exported: which exporter, which opset, and why a fallback happened."""

    path: Path
    exporter: str
    opset: int | None
    note: str | None = None


class ExportFailed(Exception):
    """Neither exporter could export the model; the message says why (both reasons)."""


def opset_of(path: Path) -> int | None:
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)


def _short(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def export_module(module, example_inputs: tuple, path: Path, input_names: list[str]) -> ExportResult:
    """Export `module(*example_inputs)` to `path` with fixed shapes; dynamo first, TorchScript as fallback."""
    import torch

    path = Path(path)
    sink = io.StringIO()
    dynamo_error = None
    # The exporter logs warnings (e.g. "torchvision is not installed") straight to the terminal.
    for name in ("torch.onnx", "torch.export", "torch._dynamo", "onnxscript"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            torch.onnx.export(module, example_inputs, str(path), dynamo=True, input_names=input_names,
                              external_data=False)
        return ExportResult(path, "dynamo", opset_of(path))
    except Exception as exc:  # the exporter raises many types; all mean "try the other one"
        dynamo_error = _short(exc)
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            torch.onnx.export(module, example_inputs, str(path), dynamo=False, input_names=input_names,
                              opset_version=17)
        return ExportResult(path, "torchscript", opset_of(path),
                            note=f"the dynamo exporter failed ({dynamo_error}); used the TorchScript exporter")
    except Exception as exc:
        raise ExportFailed(f"dynamo exporter: {dynamo_error}; TorchScript exporter: {_short(exc)}") from exc


@dataclass
class OrtSession:
    """An ONNX Runtime session with the provider that actually runs it."""

    session: Any
    provider: str
    note: str | None


def open_session(path: Path, want_cuda: bool, cuda_reason: str | None = None, threads: int = 0) -> OrtSession:
    """A session on CUDAExecutionProvider when asked for and it really initializes, else on the CPU
    (with `threads` intra-op threads, the bench's fixed count; 0 lets ONNX Runtime choose)."""
    import onnxruntime as ort

    ort.set_default_logger_severity(QUIET)
    options = ort.SessionOptions()
    options.log_severity_level = QUIET
    options.intra_op_num_threads = threads
    note = None
    if want_cuda and hasattr(ort, "preload_dlls"):
        try:  # CUDA and cuDNN from the nvidia-* wheels, when the system has none of its own
            ort.preload_dlls(cuda=True, cudnn=True, msvc=False)
        except Exception:
            pass
    if want_cuda and "CUDAExecutionProvider" in ort.get_available_providers() and cuda_reason is None:
        # TF32 off: torch's float32 matmuls do not use it by default, and with it ONNX Runtime's float32
        # output misses the reference by ~1e-3 (seen on an H200), far outside float32's tolerance.
        session = ort.InferenceSession(str(path), sess_options=options,
                                       providers=[("CUDAExecutionProvider", {"use_tf32": "0"}),
                                                  "CPUExecutionProvider"])
        ran = session.get_providers()
        if ran and ran[0] == "CUDAExecutionProvider":
            return OrtSession(session, "CUDAExecutionProvider", None)
        note = "CUDAExecutionProvider did not initialize; ran on the CPU"
    elif want_cuda:
        note = f"CUDAExecutionProvider unavailable ({cuda_reason or 'not listed by onnxruntime'}); ran on the CPU"
    session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
    return OrtSession(session, session.get_providers()[0], note)


def make_runner(ort_session: OrtSession, inputs: dict[str, Any]):
    """A zero-argument callable that runs the session once on `inputs` (torch tensors by input name).

    On CUDA the inputs are bound in place on the device and the outputs stay there (IO binding),
    so the timed call includes no host-device copy. Returns (run, fetch) where fetch() gives the
    first output as a torch tensor after a run.
    """
    import numpy as np
    import torch

    session = ort_session.session
    output_name = session.get_outputs()[0].name
    if ort_session.provider == "CUDAExecutionProvider":
        binding = session.io_binding()
        for name, tensor in inputs.items():
            tensor = tensor.contiguous()
            inputs[name] = tensor  # keep the memory alive
            binding.bind_input(name=name, device_type="cuda", device_id=tensor.device.index or 0,
                               element_type=_numpy_dtype(tensor.dtype), shape=tuple(tensor.shape),
                               buffer_ptr=tensor.data_ptr())
        binding.bind_output(output_name, "cuda")

        def run():
            session.run_with_iobinding(binding)

        def fetch():
            return torch.from_numpy(binding.copy_outputs_to_cpu()[0])

        return run, fetch

    feeds = {name: _to_numpy(tensor) for name, tensor in inputs.items()}
    last: list[Any] = [None]

    def run_cpu():
        last[0] = session.run([output_name], feeds)[0]

    def fetch_cpu():
        return torch.from_numpy(np.asarray(last[0]))

    return run_cpu, fetch_cpu


def _to_numpy(tensor):
    import torch

    if tensor.dtype == torch.bfloat16:
        raise ExportFailed("ONNX Runtime's Python feeds have no bfloat16 on the CPU")
    return tensor.detach().cpu().numpy()


def _numpy_dtype(dtype):
    import numpy as np
    import torch

    table = {torch.float32: np.float32, torch.float64: np.float64, torch.float16: np.float16,
             torch.int64: np.int64, torch.int32: np.int32, torch.bool: np.bool_}
    if dtype not in table:
        raise ExportFailed(f"no IO binding for {dtype}")
    return table[dtype]
