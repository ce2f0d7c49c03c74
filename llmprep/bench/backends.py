"""One small class per trusted backend: each turns one size into a call ready to time.

`prepare(size)` checks the backend's output against the reference before anything is timed and
returns a `Ready` (the call, the provider that runs it, whether it agreed, a note, the memory of
its first call). The submission is not here: it runs only in the sandboxed worker (see
submission.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmprep.bench import calls
from llmprep.bench.plan import SizeInputs, first_call
from llmprep.messages import said


@dataclass
class Ready:
    """A backend at one size, checked and ready to time (fn None: nothing to time, see note)."""

    fn: Callable[[], Any] | None
    provider: str
    correct: bool | None = None
    note: str | None = None
    memory: int | None = None


class ReferenceBackend:
    """The exercise's reference implementation: the truth the others are compared with."""

    name = "reference"

    def prepare(self, size: SizeInputs) -> Ready:
        return Ready(size.reference.fn, f"torch-{size.device}", correct=True, memory=size.reference_memory)


class TorchBackend:
    """PyTorch's built-in for the exercise (the spec's `builtin`), called like the reference."""

    name = "torch"

    def prepare(self, size: SizeInputs) -> Ready:
        builtin = size.bench.builtin
        provider = f"torch-{size.device}"
        if builtin is None:
            return Ready(None, provider, note=said("bench.no_builtin"))
        exercise = size.exercise
        if size.harness is not None and exercise.kind == "module":
            # Through the harness, like the reference, when the built-in has the exercise's attributes;
            # a built-in of another shape (a plain nn.Linear for LoRA) falls through to a plain call.
            call = calls.prepare_call(builtin, exercise.kind, size.request, size.device, size.harness)
            try:
                output, memory = first_call(call.fn, size.device)
            except Exception:
                pass
            else:
                return Ready(call.fn, provider, calls.agrees(exercise, size.dtype, size.truth, output), memory=memory)
        own_weights = False
        if exercise.kind == "module":
            call = calls.prepare_call(builtin, "module", dataclasses.replace(size.request, state_dict=None), size.device)
            try:
                call.target.load_state_dict(size.request.state_dict, strict=True)
            except (RuntimeError, KeyError, TypeError):
                own_weights = True
        else:
            call = calls.prepare_call(builtin, "function", size.request, size.device, size.harness)
        output, memory = first_call(call.fn, size.device)
        if own_weights:
            return Ready(call.fn, provider, None, "the built-in has its own weights: output not compared", memory)
        return Ready(call.fn, provider, calls.agrees(exercise, size.dtype, size.truth, output), memory=memory)


class CompileBackend:
    """torch.compile of the reference (compiled on its first call, outside the timing)."""

    name = "torch-compile"

    def prepare(self, size: SizeInputs) -> Ready:
        from llmprep.bench.worker_side import compiled_call

        fn = compiled_call(size.reference)
        output, memory = first_call(fn, size.device)
        return Ready(fn, f"torch-{size.device}", calls.agrees(size.exercise, size.dtype, size.truth, output),
                     "torch.compile of the reference", memory)


class OnnxBackend:
    """ONNX Runtime on the reference exported with torch.onnx, on the provider that really runs."""

    name = "onnxruntime"

    def prepare(self, size: SizeInputs) -> Ready:
        from llmprep.bench.onnx_runtime import ExportFailed
        from llmprep.bench.worker_side import export_reason

        reason = export_reason(size.reference)
        if reason:
            return Ready(None, "-", note=said("bench.not_exported", reason=reason))
        try:
            exported, cached = cached_reference_export(size)
        except ExportFailed as exc:
            return Ready(None, "-", note=said("bench.export_failed", error=str(exc)))
        except Exception as exc:
            return Ready(None, "-", note=said("bench.export_failed", error=calls.short_error(exc)))
        note = (f"reference exported by the {exported.exporter} exporter, opset {exported.opset}"
                + (" (cached)" if cached else "") + (f"; {exported.note}" if exported.note else ""))
        return onnx_ready(size, exported.path, note)


def onnx_ready(size: SizeInputs, model_path: Path, export_note: str) -> Ready:
    """A session on the provider that really works (IO binding on CUDA), its output checked."""
    from llmprep.bench.onnx_runtime import make_runner, open_session
    from llmprep.bench.worker_side import tensor_slots

    cuda_reason = None if size.device == "cuda" else "the bench runs on the CPU"
    session = open_session(model_path, want_cuda=size.device == "cuda", cuda_reason=cuda_reason,
                           threads=size.threads)
    notes = [export_note] + ([session.note] if session.note and size.device == "cuda" else [])
    on_cuda = session.provider == "CUDAExecutionProvider"
    inputs = {name: (t if on_cuda else t.cpu()) for name, t in tensor_slots(size.reference)}
    run, fetch = make_runner(session, inputs)
    run()
    correct = calls.agrees(size.exercise, size.dtype, size.truth, fetch())
    if not correct:
        return Ready(None, session.provider, False, "; ".join(notes + ["its output differs from the reference"]))
    if on_cuda:
        notes.append("IO binding: inputs and outputs stay on the GPU")
    memory = None if on_cuda else first_call(run, "cpu")[1]
    return Ready(run, session.provider, True, "; ".join(n for n in notes if n), memory)


def cached_reference_export(size: SizeInputs):
    """Export the reference bound to this size once; later runs reuse the file from the data dir."""
    import torch

    from llmprep.bench.onnx_runtime import ExportResult, export_module, opset_of
    from llmprep.bench.worker_side import bound_module, tensor_slots
    from llmprep.paths import data_dir

    exercise = size.exercise
    digest = hashlib.sha256()
    for name in ("reference.py", "spec.py"):
        digest.update(exercise.path(name).read_bytes())
    digest.update("|".join([torch.__version__, exercise.id, size.name, size.dtype]).encode())
    folder = data_dir() / "bench-onnx"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{exercise.id}-{digest.hexdigest()[:16]}.onnx"
    exporter_file = path.with_suffix(".exporter")
    if path.is_file() and exporter_file.is_file():
        exporter, _, note = exporter_file.read_text(encoding="utf-8").partition("\n")
        return ExportResult(path, exporter, opset_of(path), note or None), True
    slots = tensor_slots(size.reference)
    partial = path.with_suffix(".partial.onnx")
    exported = export_module(bound_module(size.reference), tuple(t.cpu() for _, t in slots), partial,
                             [name for name, _ in slots])
    os.replace(partial, path)
    exporter_file.write_text(f"{exported.exporter}\n{exported.note or ''}", encoding="utf-8")
    return ExportResult(path, exported.exporter, exported.opset, exported.note), False


TRUSTED_BACKENDS = {b.name: b for b in (ReferenceBackend(), TorchBackend(), CompileBackend(), OnnxBackend())}
