"""What the worker may read and write, and which isolation layers it applies to itself."""

from __future__ import annotations

import functools
import os
import sys
import sysconfig
from pathlib import Path

# What Python, torch and numpy read besides their own install trees.
SYSTEM_READ = ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf",
               "/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/proc/cpuinfo", "/proc/meminfo",
               "/proc/stat", "/sys/devices", "/sys/fs/cgroup",
               # torch.distributed (gloo) lists interfaces and PCI devices and resolves localhost
               "/sys/class/net", "/sys/bus/pci", "/proc/sys/net/core/somaxconn",
               "/etc/hosts", "/etc/host.conf", "/etc/resolv.conf", "/etc/passwd", "/etc/group",
               "/etc/ssl/openssl.cnf")
CUDA_READ = ("/proc/driver/nvidia", "/etc/nvidia", "/usr/local/cuda")
CUDA_WRITE = ("/proc/driver/nvidia", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1",
              "/dev/nvidia2", "/dev/nvidia3", "/dev/nvidia4", "/dev/nvidia5", "/dev/nvidia6", "/dev/nvidia7",
              "/dev/shm")
MAX_PROCESSES = 256       # tasks in the worker's user namespace: torch's threads count too
FILE_SIZE_LIMIT = 256 * 2**20  # a file the worker writes (an ONNX model at most)


def protected_paths() -> list[str]:
    """What a submission must never read: llmprep's source (with the repository around a checkout,
    which holds the exercises and the test solutions), the exercises, and the progress store."""
    from llmprep.paths import PACKAGE_DIR, exercises_dir

    paths = [str(PACKAGE_DIR), str(exercises_dir())]
    if (PACKAGE_DIR.parent / "pyproject.toml").is_file():  # a checkout or editable install
        paths.append(str(PACKAGE_DIR.parent))
    home = os.environ.get("LLMPREP_HOME")
    if home:
        paths.append(str(Path(home).expanduser()))
    else:
        import platformdirs

        paths.append(platformdirs.user_data_dir("llmprep", appauthor=False))
    return paths


@functools.lru_cache(maxsize=4)
def _python_read(protected: tuple[str, ...]) -> tuple[str, ...]:
    from llmprep.execution.isolation import readable_paths

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots |= {path for name, path in sysconfig.get_paths().items() if name in ("stdlib", "platstdlib",
                                                                               "purelib", "platlib")}
    return tuple(readable_paths(sorted(roots) + list(SYSTEM_READ), list(protected)))


def worker_policy(folder: Path, readable_files: list[str], *, cuda: bool, cpu_s: int,
                  preload: list[tuple[str, str]] = ()) -> dict:
    """The policy document the worker reads first (see worker_script.py and isolation.py).

    `LLMPREP_SANDBOX=off` (or `landlock`, `namespaces`: only that layer) is for measuring what each
    layer costs and for machines where a layer misbehaves; the default is every layer."""
    wanted = os.environ.get("LLMPREP_SANDBOX", "all").lower()
    read = list(_python_read(tuple(protected_paths()))) + [str(Path(f).resolve()) for f in readable_files]
    if cuda:
        read += list(CUDA_READ)
    return {"parent": os.getpid(), "read": read,
            "write": [str(folder)] + (list(CUDA_WRITE) if cuda else []), "cuda": cuda,
            "landlock": wanted in ("all", "landlock"), "namespaces": wanted in ("all", "namespaces"),
            "nproc": MAX_PROCESSES, "cpu_s": cpu_s, "fsize": FILE_SIZE_LIMIT,
            "preload": [list(item) for item in preload]}


LAYERS = (("user namespace", "no capability over anything outside the worker"),
          ("pid namespace", "everything the worker starts dies with it"),
          ("network", "a private network namespace (its own loopback only), or Landlock's TCP rule"),
          ("filesystem", "Landlock: reads only Python and torch, writes only the worker's own folder"),
          ("signals", "Landlock: cannot signal llmprep or any process outside"),
          ("abstract sockets", "Landlock: no abstract unix sockets outside"),
          ("dies with llmprep", "PR_SET_PDEATHSIG"),
          ("process limit", "RLIMIT_NPROC"),
          ("cpu limit", "RLIMIT_CPU"),
          ("file size limit", "RLIMIT_FSIZE"))


def sandbox_summary(enforced: dict) -> dict:
    """The `sandbox` field of check's JSON: which layers held the worker, which did not, and a level.

    Level "full": every layer; "partial": the file system or the pid namespace holds, not all;
    "none": neither (resource limits at most)."""
    namespaces = set(enforced.get("namespaces") or [])
    landlock = enforced.get("landlock") or {}
    limits = set(enforced.get("limits") or [])
    held = {"user namespace": "user" in namespaces, "pid namespace": "pid" in namespaces,
            "network": "net" in namespaces or landlock.get("tcp") is True,
            "filesystem": landlock.get("filesystem") is True, "signals": landlock.get("signals") is True,
            "abstract sockets": landlock.get("abstract_sockets") is True,
            "dies with llmprep": "pdeathsig" in limits, "process limit": "nproc" in limits,
            "cpu limit": "cpu" in limits, "file size limit": "fsize" in limits}
    if all(held.values()):
        level = "full"
    elif held["filesystem"] or held["pid namespace"]:
        level = "partial"
    else:
        level = "none"
    return {"level": level, "enforced": [name for name, _ in LAYERS if held[name]],
            "not_enforced": [name for name, _ in LAYERS if not held[name]], "landlock_abi": landlock.get("abi", 0)}
