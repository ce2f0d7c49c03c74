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
               "/proc/stat", "/sys/devices/system/cpu", "/sys/devices/system/node", "/sys/fs/cgroup")
CUDA_READ = ("/proc/driver/nvidia", "/sys/bus/pci", "/sys/devices", "/etc/nvidia", "/usr/local/cuda")
CUDA_WRITE = ("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia0", "/dev/nvidia1",
              "/dev/nvidia2", "/dev/nvidia3", "/dev/nvidia4", "/dev/nvidia5", "/dev/nvidia6", "/dev/nvidia7",
              "/dev/shm")
MAX_PROCESSES = 256       # tasks in the worker's user namespace: torch's threads count too
FILE_SIZE_LIMIT = 2**30


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
            "write": [str(folder)] + (list(CUDA_WRITE) if cuda else []),
            "landlock": wanted in ("all", "landlock"), "namespaces": wanted in ("all", "namespaces"),
            "nproc": MAX_PROCESSES, "cpu_s": cpu_s, "fsize": FILE_SIZE_LIMIT,
            "preload": [list(item) for item in preload]}


LAYERS = (("namespace:user", "no capability outside the worker"),
          ("namespace:pid", "everything the worker starts dies with it"),
          ("namespace:net", "no network"),
          ("landlock:filesystem", "reads only Python and torch, writes only its own folder"),
          ("landlock:tcp", "no TCP bind or connect"),
          ("landlock:signals", "cannot signal llmprep"),
          ("landlock:abstract_sockets", "no abstract unix sockets outside"),
          ("limit:pdeathsig", "dies with llmprep"),
          ("limit:nproc", "process count limit"),
          ("limit:cpu", "CPU time limit"),
          ("limit:fsize", "file size limit"))


def sandbox_summary(enforced: dict) -> dict:
    """The `sandbox` field of check's JSON: which layers held the worker, which did not, and a level.

    Level "full": every layer; "partial": Landlock's file system rule or the pid namespace is
    missing, something else holds; "none": neither (only the resource limits)."""
    held = {f"namespace:{name}" for name in enforced.get("namespaces") or []}
    held |= {f"landlock:{key}" for key, value in (enforced.get("landlock") or {}).items()
             if value is True}
    held |= {f"limit:{name}" for name in enforced.get("limits") or []}
    names = [name for name, _ in LAYERS]
    if all(name in held for name in names):
        level = "full"
    elif "landlock:filesystem" in held or "namespace:pid" in held:
        level = "partial"
    else:
        level = "none"
    return {"level": level, "enforced": [n for n in names if n in held],
            "not_enforced": [n for n in names if n not in held],
            "landlock_abi": (enforced.get("landlock") or {}).get("abi", 0)}
