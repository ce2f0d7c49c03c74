"""Linux isolation for the worker with unprivileged kernel features, each tried and reported.

Layers, applied by the worker to itself before it imports torch (while it has one thread):
- `namespaces`: new user, pid and network namespaces (the worker is pid 1 of its own pid
  namespace, so every process it starts dies with it; no network at all; no capability over
  anything outside). Where user namespaces are refused, pid and network alone (as root).
- `landlock`: the file system is read-only and limited to what Python and torch need (never the
  exercises, llmprep's source, or the store); writes only in the worker's private folder; no TCP
  bind or connect (ABI >= 4); no signals to, and no abstract sockets of, processes outside
  (ABI >= 6). Landlock also stops ptrace and /proc access to llmprep.
- `limits`: the parent's death kills the worker (PR_SET_PDEATHSIG), RLIMIT_NPROC, RLIMIT_CPU.

This file imports nothing from llmprep: the worker loads it by path.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
import sys

_SYS_LANDLOCK_CREATE_RULESET, _SYS_LANDLOCK_ADD_RULE, _SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_PDEATHSIG, _PR_SET_NO_NEW_PRIVS = 1, 38
_CLONE_NEWUSER, _CLONE_NEWPID, _CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000

# Landlock file-system rights, by ABI: 1 has the first 13, 2 adds REFER, 3 TRUNCATE, 5 IOCTL_DEV.
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_ABI1 = (1 << 13) - 1
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none."""
    if not sys.platform.startswith("linux"):
        return 0
    version = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                            ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(int(version), 0)


def _fs_rights(abi: int) -> int:
    rights = _FS_ABI1
    rights |= _FS_REFER if abi >= 2 else 0
    rights |= _FS_TRUNCATE if abi >= 3 else 0
    return rights | (_FS_IOCTL_DEV if abi >= 5 else 0)


def apply_landlock(read: list[str], write: list[str], *, tcp: bool = True) -> dict:
    """Restrict this thread (and everything it starts later) to reading `read` and writing `write`;
    with `tcp`, no TCP bind or connect either (left to the network namespace where there is one).

    Returns what is enforced: {"abi", "filesystem", "tcp", "signals", "abstract_sockets"}."""
    abi = landlock_abi()
    report = {"abi": abi, "filesystem": False, "tcp": False, "signals": False, "abstract_sockets": False}
    if abi < 1:
        return report
    handled = _fs_rights(abi)
    attr = _RulesetAttr(handled, (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 and tcp else 0,
                        (_SCOPE_SIGNAL | _SCOPE_ABSTRACT_UNIX_SOCKET) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _libc.syscall(_SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                            ctypes.c_uint32(0))
    if ruleset < 0:
        return report
    try:
        read_rights = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
        for paths, rights in ((read, read_rights), (write, handled)):
            for path in paths:
                _add_path_rule(int(ruleset), path, rights)
        _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        if _libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return report
    finally:
        os.close(int(ruleset))
    report.update(filesystem=True, tcp=abi >= 4 and tcp, signals=abi >= 6, abstract_sockets=abi >= 6)
    return report


def _add_path_rule(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path that does not exist here needs no rule
    try:
        if not os.path.isdir(path):  # rights that only make sense on directories are refused on files
            rights &= _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
        rule = _PathBeneathAttr(rights, fd)
        _libc.syscall(_SYS_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(_RULE_PATH_BENEATH),
                      ctypes.byref(rule), ctypes.c_uint32(0))
    finally:
        os.close(fd)


def readable_paths(roots: list[str], protected: list[str]) -> list[str]:
    """`roots`, with every root that contains a `protected` path replaced by its other children,
    recursively: Landlock grants whole trees, so a secret inside an allowed tree is carved out.
    A root inside a protected tree stays readable (the Quick start's `.venv` sits inside the checkout,
    which is protected for its exercises and tests); a root that is itself protected does not."""
    protected = [os.path.realpath(p) for p in protected]
    allowed: list[str] = []

    def inside(real: str, tree: str) -> bool:
        return real.startswith(tree.rstrip("/") + "/")

    def add(path: str, around: tuple[str, ...] = ()) -> None:
        # `around`: the protected trees that hold the root being walked, which do not hide it
        real = os.path.realpath(path)
        if real in protected or any(inside(real, p) for p in protected if p not in around):
            return
        if not any(inside(p, real) for p in protected):
            allowed.append(real)
            return
        try:
            children = os.listdir(real)
        except OSError:
            return
        for child in children:
            add(os.path.join(real, child), around)

    for root in roots:
        if os.path.exists(root):
            real_root = os.path.realpath(root)
            add(root, tuple(p for p in protected if inside(real_root, p)))
    return sorted(set(allowed))


# ---------------------------------------------------------------- processes


def die_with_parent(expected_parent: int) -> None:
    """SIGKILL this process when its parent dies; exit now if the parent is already gone."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != expected_parent:
        os._exit(1)


def enter_namespaces(pid: bool = True) -> list[str]:
    """Unshare user, pid and network namespaces (or pid and network where user namespaces are
    refused); returns the ones entered. The pid namespace takes effect for the next child.
    `pid=False` leaves the pid namespace out (CUDA did not start inside one on an H200)."""
    if pid:
        tries = ((_CLONE_NEWUSER | _CLONE_NEWPID | _CLONE_NEWNET, ["user", "pid", "net"]),
                 (_CLONE_NEWPID | _CLONE_NEWNET, ["pid", "net"]),
                 (_CLONE_NEWNET, ["net"]))
    else:
        tries = ((_CLONE_NEWUSER | _CLONE_NEWNET, ["user", "net"]), (_CLONE_NEWNET, ["net"]))
    for flags, names in tries:
        if _libc.unshare(ctypes.c_int(flags)) == 0:
            return names
        if ctypes.get_errno() not in (errno.EPERM, errno.EINVAL, errno.ENOSPC, errno.EUSERS):
            break
    return []


def loopback_up() -> bool:
    """Bring up `lo` in the worker's own network namespace: code that talks to itself over
    127.0.0.1 (torch.distributed's TCPStore) works, and nothing outside the namespace is reachable."""
    import fcntl
    import socket
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            request = struct.pack("16sH22x", b"lo", 0)
            flags = struct.unpack("16sH22x", fcntl.ioctl(probe.fileno(), siocgifflags, request))[1]
            fcntl.ioctl(probe.fileno(), siocsifflags, struct.pack("16sH22x", b"lo", flags | iff_up))
        return True
    except OSError:
        return False


def supervise(child: int, pid_file: str) -> None:
    """The first process after unsharing: wait for the worker (pid 1 of the new namespace) and exit
    as it did. A signal from llmprep ends this process, and the worker with it (PR_SET_PDEATHSIG).
    The worker's pid as llmprep sees it goes to `pid_file`, so llmprep can wait for its end."""
    with open(pid_file, "w", encoding="ascii") as handle:
        handle.write(str(child))
    while True:
        try:
            _, status = os.waitpid(child, 0)
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
        if os.WIFEXITED(status):
            os._exit(os.WEXITSTATUS(status))
        if os.WIFSIGNALED(status):  # end the same way, so llmprep reads "killed by SIGSEGV"
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
            os.kill(os.getpid(), os.WTERMSIG(status))
            os._exit(128 + os.WTERMSIG(status))


def limit_processes(max_processes: int, cpu_seconds: int, file_bytes: int) -> list[str]:
    """RLIMIT_NPROC (counted inside the user namespace), RLIMIT_CPU and RLIMIT_FSIZE; returns those set."""
    done = []
    for name, limit, value in (("nproc", resource.RLIMIT_NPROC, max_processes),
                               ("cpu", resource.RLIMIT_CPU, cpu_seconds),
                               ("fsize", resource.RLIMIT_FSIZE, file_bytes)):
        try:
            resource.setrlimit(limit, (value, value))
            done.append(name)
        except (ValueError, OSError):
            pass
    return done
