"""What this machine can run: the facts behind `llmprep doctor`."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from typing import Any

from llmprep import __version__
from llmprep.errors import UserError
from llmprep.paths import data_dir, exercises_dir, questions_dir

PROBE_TIMEOUT_S = 300


def run_runtime_probe() -> dict[str, Any]:
    """Run llmprep.runtime_probe in a child process and return its JSON (or why it failed)."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "llmprep.runtime_probe"],
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired:
        return {"error": f"the probe did not finish in {PROBE_TIMEOUT_S} s"}
    lines = proc.stdout.decode(errors="replace").strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-3:]
        return {"error": f"the probe exited with code {proc.returncode}: {' / '.join(tail)}"}
    return json.loads(lines[-1])


def _data_dir_status() -> dict[str, Any]:
    try:
        path = data_dir()
    except UserError as error:
        return {"path": error.where, "writable": False, "error": error.what}
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
        return {"path": str(path), "writable": True}
    except OSError as exc:
        return {"path": str(path), "writable": False, "error": exc.strerror}


def _count_files(folder, pattern: str) -> int:
    # sources.yaml describes the documents; it is not a topic file.
    return len([p for p in folder.glob(pattern) if p.name != "sources.yaml"]) if folder.is_dir() else 0


def collect_report() -> dict[str, Any]:
    """Everything doctor knows, as one JSON-ready dict with `ok` and `problems`."""
    probe = run_runtime_probe()
    torch_info = probe.get("torch", {"ok": False, "error": probe.get("error")})
    ort_info = probe.get("onnxruntime", {"ok": False, "error": probe.get("error")})
    export_info = probe.get("export", {"ok": False, "error": probe.get("error")})
    providers = {p["name"]: p for p in ort_info.get("providers", [])}
    cuda_ep = providers.get("CUDAExecutionProvider")
    report: dict[str, Any] = {
        "llmprep": __version__,
        "python": {"version": platform.python_version(), "executable": sys.executable},
        "platform": {"system": platform.system(), "release": platform.release(), "machine": platform.machine()},
        "cpu": {"count": os.cpu_count(), "torch_threads": torch_info.get("threads")},
        "torch": torch_info,
        "numpy": {"version": torch_info.get("numpy")},
        "onnx": {"version": ort_info.get("onnx")},
        "onnxruntime": ort_info,
        "cuda_execution_provider": {
            "status": "available" if cuda_ep and cuda_ep["working"] else "unavailable",
            "reason": None
            if cuda_ep and cuda_ep["working"]
            else (cuda_ep["reason"] if cuda_ep else "not listed by the installed onnxruntime"),
        },
        "onnx_export": export_info,
        "data_dir": _data_dir_status(),
        "content": {
            "questions_dir": str(questions_dir()),
            "question_files": _count_files(questions_dir(), "*.yaml"),
            "exercises_dir": str(exercises_dir()),
            "exercises": _count_files(exercises_dir(), "*/exercise.toml"),
        },
    }
    problems = []
    if not torch_info.get("ok"):
        problems.append(
            {"what": f"torch does not import ({torch_info.get('error')})", "fix": "pip install torch"}
        )
    if not report["data_dir"]["writable"]:
        problems.append(
            {"what": f"the data directory {report['data_dir']['path']} is not writable",
             "fix": "set LLMPREP_HOME to a writable directory"}
        )
    if report["content"]["question_files"] == 0:
        problems.append(
            {"what": f"no question bank in {report['content']['questions_dir']}",
             "fix": "reinstall llmprep from a complete checkout"}
        )
    if not ort_info.get("ok"):
        problems.append({"what": f"onnxruntime does not import ({ort_info.get('error')})",
                         "fix": "pip install onnxruntime (or onnxruntime-gpu on Linux x86_64); "
                                "only the bench's ONNX Runtime row needs it", "blocking": False})
    report["problems"] = problems
    report["ok"] = not any(p.get("blocking", True) for p in problems)
    return report

