"""Probe what the numeric stack can really do, in a child process.

Run as `python -m llmprep.runtime_probe [part ...]`; prints one JSON object on its last line.
It runs apart from llmprep because onnxruntime and the torch.onnx exporter write to stdout
and stderr from C++ (onnxruntime-gpu logs `libcublasLt.so.13: cannot open shared object file`
on a machine without CUDA), and a broken install may crash the interpreter outright.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

PARTS = ("torch", "onnxruntime", "export", "sandbox")

# onnxruntime's own messages that explain why a provider did not load.
_REASON_PATTERNS = (
    r"(lib[\w.\-]+\.so[\w.]*: cannot open shared object file)",
    r"(Require cuDNN [\d.*]+ and CUDA [\d.*]+)",
    r"(Please install TensorRT libraries)",
    r"(CUDA failure \d+: [^\n;]+)",
    r"(no CUDA-capable device is detected)",
)


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def probe_torch() -> dict[str, Any]:
    """Torch version, CUDA build and devices, thread count."""
    try:
        import torch
    except Exception as exc:  # a broken install is a finding, not a crash
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    info: dict[str, Any] = {
        "ok": True,
        "version": torch.__version__,
        "cuda_build": torch.version.cuda is not None,
        "cuda_version": torch.version.cuda,
        "cuda_available": False,
        "devices": [],
        "threads": torch.get_num_threads(),
    }
    try:
        import numpy

        info["numpy"] = numpy.__version__
    except Exception as exc:
        info["numpy_error"] = str(exc)
    try:
        info["cuda_available"] = bool(torch.cuda.is_available())
        for index in range(torch.cuda.device_count() if info["cuda_available"] else 0):
            props = torch.cuda.get_device_properties(index)
            info["devices"].append(
                {
                    "index": index,
                    "name": props.name,
                    "capability": f"{props.major}.{props.minor}",
                    "memory_bytes": int(props.total_memory),
                }
            )
    except Exception as exc:
        info["cuda_error"] = f"{type(exc).__name__}: {exc}"
    return info


def _tiny_onnx_model() -> bytes:
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "probe", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    return model.SerializeToString()


def _reason_from_log(log: str) -> str | None:
    for pattern in _REASON_PATTERNS:
        match = re.search(pattern, log)
        if match:
            return match.group(1)
    return None


def _provider_in_child(provider: str) -> dict[str, Any]:
    """Create a session for one provider in a grandchild whose output we keep, and read its log."""
    code = (
        "import json, sys, onnxruntime as ort\n"
        "so = ort.SessionOptions(); so.log_severity_level = 1\n"
        "s = ort.InferenceSession(sys.stdin.buffer.read(), sess_options=so, providers=[sys.argv[1]])\n"
        "print('\\n' + json.dumps(s.get_providers()))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, provider],
        input=_tiny_onnx_model(),
        capture_output=True,
        timeout=120,
    )
    out = proc.stdout.decode(errors="replace")
    log = out + proc.stderr.decode(errors="replace")
    ran: list[str] = []
    if proc.returncode == 0:
        ran = json.loads(out.strip().splitlines()[-1])
    working = proc.returncode == 0 and provider in ran
    reason = None
    if not working:
        reason = _reason_from_log(log)
        if reason is None and proc.returncode == 0:
            reason = f"onnxruntime fell back to {', '.join(ran) or 'nothing'}"
        elif reason is None:
            tail = [line for line in log.strip().splitlines() if line.strip()]
            reason = tail[-1][:300] if tail else f"exit code {proc.returncode}"
    return {"name": provider, "ran": ran, "working": working, "reason": reason}


def probe_onnxruntime() -> dict[str, Any]:
    """onnxruntime's version, package, and which listed providers really initialize."""
    try:
        import onnxruntime as ort
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    package = next(
        (name for name in ("onnxruntime-gpu", "onnxruntime") if _distribution_version(name)),
        None,
    )
    info: dict[str, Any] = {
        "ok": True,
        "version": ort.__version__,
        "package": package,
        "onnx": _distribution_version("onnx"),
        "listed_providers": list(ort.get_available_providers()),
        "providers": [],
    }
    for provider in info["listed_providers"]:
        try:
            info["providers"].append(_provider_in_child(provider))
        except Exception as exc:
            info["providers"].append(
                {"name": provider, "ran": [], "working": False, "reason": f"{type(exc).__name__}: {exc}"}
            )
    return info


def probe_export() -> dict[str, Any]:
    """Export a tiny module with torch.onnx (dynamo exporter) and load it back with onnx."""
    try:
        import onnx
        import torch
    except Exception as exc:
        return {"ok": False, "exporter": None, "error": f"{type(exc).__name__}: {exc}"}

    class Tiny(torch.nn.Module):
        def forward(self, x):
            return torch.relu(x) * 2.0

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tiny.onnx")
        sink = io.StringIO()
        try:
            with redirect_stdout(sink), redirect_stderr(sink):
                torch.onnx.export(Tiny(), (torch.randn(2, 3),), path, dynamo=True)
            model = onnx.load(path)
            opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
            return {"ok": True, "exporter": "dynamo", "opset": opset}
        except Exception as exc:
            return {"ok": False, "exporter": "dynamo", "error": f"{type(exc).__name__}: {str(exc)[:300]}"}


def probe_sandbox() -> dict[str, Any]:
    """Apply the worker's isolation layers in a forked child and report which held (see check's
    `sandbox` field): a machine's kernel and container decide, so doctor asks them."""
    from llmprep.execution import isolation
    from llmprep.execution.policy import sandbox_summary
    from llmprep.execution.worker_script import isolate

    folder = tempfile.mkdtemp(prefix="llmprep-probe-")
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child (and its pid-namespace child)
        try:
            os.close(read_end)
            enforced = isolate(isolation, {"parent": os.getppid(), "namespaces": True, "landlock": True,
                                           "read": [], "write": [folder], "nproc": 64, "cpu_s": 60,
                                           "fsize": 2**20})
            os.write(write_end, json.dumps(enforced).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        data = reader.read()
    os.waitpid(child, 0)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        return sandbox_summary(json.loads(data))
    except ValueError:
        return {"level": "none", "enforced": [], "not_enforced": [], "error": "the probe child sent nothing"}


def main(argv: list[str]) -> None:
    parts = argv or list(PARTS)
    probes = {"torch": probe_torch, "onnxruntime": probe_onnxruntime, "export": probe_export,
              "sandbox": probe_sandbox}
    result = {part: probes[part]() for part in parts}
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
