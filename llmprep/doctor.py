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
from llmprep.messages import said
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


# The CUDA 13 libraries onnxruntime-gpu's CUDA provider loads, and the wheel that ships each.
ORT_CUDA_LIBRARIES = {
    "libcudart.so.13": "nvidia-cuda-runtime", "libcublas.so.13": "nvidia-cublas",
    "libcublasLt.so.13": "nvidia-cublas", "libcurand.so.10": "nvidia-curand",
    "libcufft.so.12": "nvidia-cufft", "libcudnn.so.9": "nvidia-cudnn-cu13",
}


def _library_folders() -> list[str]:
    """Where the dynamic loader (and onnxruntime's preload of the nvidia-* wheels) looks."""
    import glob
    import site

    folders = [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p]
    for root in {*site.getsitepackages(), site.getusersitepackages()}:
        folders += glob.glob(os.path.join(root, "nvidia", "*", "lib")) + glob.glob(os.path.join(root, "nvidia", "cu*", "lib"))
    return folders


def _ldconfig_names() -> set[str]:
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}


def ort_cuda_libraries() -> dict[str, Any]:
    """Which of the CUDA 13 / cuDNN 9 libraries onnxruntime-gpu needs are found, and which wheel gives each missing one."""
    known = _ldconfig_names()
    folders = _library_folders()
    found, missing = {}, {}
    for name, wheel in ORT_CUDA_LIBRARIES.items():
        where = next((os.path.join(f, name) for f in folders if os.path.exists(os.path.join(f, name))), None)
        if where or name in known:
            found[name] = where or "system (ldconfig)"
        else:
            missing[name] = wheel
    return {"found": found, "missing": missing,
            "fix": ("pip install " + " ".join(sorted(set(missing.values())))) if missing else None}


def gpu_status(torch_info: dict[str, Any]) -> dict[str, Any]:
    """"no GPU" said plainly when there is none; the devices otherwise."""
    devices = torch_info.get("devices") or []
    if devices:
        return {"present": True, "summary": ", ".join(d["name"] for d in devices), "why": None}
    if not torch_info.get("ok"):
        why = said("doctor.why_no_torch")
    elif not torch_info.get("cuda_build"):
        why = said("doctor.why_cpu_build")
    else:
        why = said("doctor.why_no_device")
    return {"present": False, "summary": "no GPU", "why": why}


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
        "gpu": gpu_status(torch_info),
        "cuda_execution_provider": {
            "status": "available" if cuda_ep and cuda_ep["working"] else "unavailable",
            "reason": None
            if cuda_ep and cuda_ep["working"]
            else (cuda_ep["reason"] if cuda_ep else "not listed by the installed onnxruntime"),
        },
        "onnx_export": export_info,
        "sandbox": probe.get("sandbox", {"level": "unknown", "error": probe.get("error")}),
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
            {"what": said("doctor.torch_missing", error=torch_info.get("error")), "fix": "pip install torch"}
        )
    if not report["data_dir"]["writable"]:
        problems.append(
            {"what": said("doctor.data_not_writable", path=report["data_dir"]["path"]),
             "fix": said("doctor.set_home")}
        )
    if report["content"]["question_files"] == 0:
        problems.append(
            {"what": said("doctor.no_bank", path=report["content"]["questions_dir"]),
             "fix": said("doctor.reinstall")}
        )
    if not ort_info.get("ok"):
        problems.append({"what": said("doctor.ort_missing", error=ort_info.get("error")),
                         "fix": said("doctor.install_ort"), "blocking": False})
    if report["gpu"]["present"] and cuda_ep and not cuda_ep["working"]:
        libraries = report["cuda_execution_provider"]["libraries"] = ort_cuda_libraries()
        if libraries["missing"]:
            problems.append({"what": said("doctor.cuda_libraries", libraries=", ".join(libraries["missing"])),
                             "fix": libraries["fix"], "blocking": False})
    elif not report["gpu"]["present"]:
        # On a machine without a GPU the CUDA provider cannot work whatever is installed: say that, not
        # the loader error onnxruntime-gpu prints about a CUDA library.
        report["cuda_execution_provider"]["reason"] = "no GPU"
    report["problems"] = problems
    report["ok"] = not any(p.get("blocking", True) for p in problems)
    report["ready_for"] = ("CPU and GPU" if report["gpu"]["present"] else "CPU") if report["ok"] else None
    return report

