"""The CPU's roofline from the hardware, not from a noisy run of the bench itself.

Compute: threads × clock × FLOPs per cycle per core, the last read from the CPU's flags:
- AVX-512 (avx512f): two 512-bit FMA units = 2 × 16 float32 lanes × 2 (multiply and add) = 64
  float32 FLOP/cycle (Intel's Skylake-SP and later optimization manual; one-FMA parts are lower, so
  this is an upper bound); AVX2 with FMA: two 256-bit FMA units = 32 (Intel Haswell+, AMD Zen 2+);
  AVX without FMA: one 256-bit add + one 256-bit multiply = 16; SSE: 8; float64 is half of these.
- bfloat16: AMX (amx_bf16) 1024 FLOP/cycle per core (Intel's figure for Sapphire Rapids' AMX),
  avx512_bf16 128 (VDPBF16PS on two units), else bfloat16 runs at the float32 rate. float16: avx512_fp16 128 (two
  units × 32 lanes × 2), AMX-FP16 1024, else the float32 rate.
- clock: the highest of the kernel's cpufreq maximum, the "@ x.xxGHz" in the model name,
  /proc/cpuinfo's "cpu MHz" and, on x86-64, the clock measured by a chain of dependent `dec`
  instructions (one per cycle: its latency is one cycle on every x86-64 core), the best of 40
  short runs (a run the scheduler interrupts reads low; the best one was not interrupted).
  A VM often shows only the base clock (2.45 GHz on the machine this was written on, whose loop
  ran at 3.2 GHz): without the measured clock a turbo would let a matmul beat the "peak".

Memory: a STREAM-style triad (a = b + s·c, counted as STREAM does: 3 × 4 bytes per float32
element), best of several runs, at three working-set sizes: inside the L2s of the threads used, inside the last-level cache, and 4× beyond it (DRAM). A row whose bytes fit a
level is held against that level's bandwidth (a 16 MiB softmax that stays in L3 is not compared with
DRAM). The best figures ever measured on this machine are kept in the data directory, so a busy
run can only raise the bound, never lower it.
"""

from __future__ import annotations

import json
import os
import platform
import re
from dataclasses import dataclass
from pathlib import Path

# How the clock was found, as read_cpu_facts says it (and the cache stores it), to the catalogue's keys.
CLOCK_SOURCE_KEYS = {"a dependent-instruction loop timed now": "bench.clock_source_loop",
                     "the model name": "bench.clock_source_model", "unknown": "bench.clock_source_unknown"}

TRIAD_RUNS = 15


@dataclass(frozen=True)
class CpuFacts:
    """What the CPU says about itself."""

    name: str
    flags: frozenset[str]
    clock_hz: float
    clock_source: str
    caches: dict[int, int]        # level -> bytes (L2 per core, L3 shared)


def _cpuinfo() -> dict[str, str]:
    found: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                key = key.strip().lower()
                if key and key not in found:
                    found[key] = value.strip()
    except OSError:
        pass
    return found


def _cache_sizes() -> dict[int, int]:
    sizes: dict[int, int] = {}
    base = Path("/sys/devices/system/cpu/cpu0/cache")
    for index in sorted(base.glob("index*")) if base.is_dir() else []:
        try:
            level = int((index / "level").read_text())
            kind = (index / "type").read_text().strip()
            text = (index / "size").read_text().strip().upper()
        except (OSError, ValueError):
            continue
        if kind == "Instruction":
            continue
        scale = {"K": 2**10, "M": 2**20, "G": 2**30}.get(text[-1:], 1)
        sizes[level] = int(text.rstrip("KMG")) * scale
    return sizes


def cpu_name() -> str:
    """The CPU's model name."""
    return _cpuinfo().get("model name") or platform.processor() or platform.machine() or "cpu"


def read_cpu_facts() -> CpuFacts:
    """The CPU's name, flags, clock (and where the clock came from) and cache sizes."""
    info = _cpuinfo()
    name = info.get("model name") or platform.processor() or platform.machine() or "cpu"
    flags = frozenset(info.get("flags", info.get("features", "")).split())
    clocks: list[tuple[float, str]] = []
    try:
        khz = int(Path("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq").read_text())
        clocks.append((khz * 1e3, "cpufreq cpuinfo_max_freq"))
    except (OSError, ValueError):
        pass
    match = re.search(r"@\s*([\d.]+)\s*GHz", name)
    if match:
        clocks.append((float(match.group(1)) * 1e9, "the model name"))
    try:
        clocks.append((float(info["cpu mhz"]) * 1e6, "/proc/cpuinfo cpu MHz"))
    except (KeyError, ValueError):
        pass
    # On a VM the loop reads half the clock at times (seen: 1.35 and 2.7 GHz in one process): best of 5.
    measured = max((measure_clock_hz() or 0.0) for _ in range(5)) or None
    if measured:
        clocks.append((measured, "a dependent-instruction loop timed now"))
    clock_hz, source = max(clocks) if clocks else (0.0, "unknown")
    return CpuFacts(name, flags, clock_hz, source, _cache_sizes())


# mov rax, rdi; loop: dec rax; jnz loop; ret — one iteration per cycle (a one-cycle dependency chain).
_COUNT_DOWN = bytes([0x48, 0x89, 0xF8, 0x48, 0xFF, 0xC8, 0x75, 0xFB, 0xC3])


def measure_clock_hz(iterations: int = 2_000_000, runs: int = 40) -> float | None:
    """The core clock from a loop of known cycle count (x86-64 Linux only; None elsewhere or if refused)."""
    if platform.machine().lower() not in ("x86_64", "amd64") or not hasattr(os, "sched_getaffinity"):
        return None
    import ctypes
    import mmap
    import time

    try:
        page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    except (OSError, ValueError, AttributeError):
        return None  # W^X policies refuse executable pages: fall back to what the kernel says
    try:
        page.write(_COUNT_DOWN)
        count_down = ctypes.CFUNCTYPE(ctypes.c_uint64, ctypes.c_uint64)(
            ctypes.addressof(ctypes.c_char.from_buffer(page)))
        best = min(_timed(count_down, iterations, time.perf_counter_ns) for _ in range(runs))
        del count_down
        return iterations / best * 1e9 if best > 0 else None
    finally:
        try:
            page.close()
        except BufferError:
            pass


def _timed(fn, argument: int, clock) -> int:
    start = clock()
    fn(argument)
    return clock() - start


def flops_per_cycle(flags: frozenset[str], dtype: str) -> tuple[int, str]:
    """FLOPs per cycle per core for `dtype`, and the instruction set it assumes."""
    if "avx512f" in flags:
        fp32, isa = 64, "AVX-512 FMA ×2"
    elif "avx2" in flags and "fma" in flags:
        fp32, isa = 32, "AVX2 FMA ×2"
    elif "avx" in flags:
        fp32, isa = 16, "AVX (add + multiply)"
    elif "asimd" in flags or "sse2" in flags:
        fp32, isa = 8, "128-bit SIMD"
    else:
        fp32, isa = 2, "scalar"
    if dtype == "float64":
        return fp32 // 2, isa
    if dtype == "bfloat16":
        if "amx_bf16" in flags:
            return 1024, "AMX-BF16"
        if "avx512_bf16" in flags:
            return 128, "AVX512-BF16"
    if dtype == "float16":
        if "amx_fp16" in flags:
            return 1024, "AMX-FP16"
        if "avx512_fp16" in flags:
            return 128, "AVX512-FP16"
    return fp32, isa


def compute_peak(facts: CpuFacts, threads: int, dtype: str) -> tuple[float, str]:
    """Peak FLOP/s of `threads` cores in `dtype`, and the formula as text."""
    per_cycle, isa = flops_per_cycle(facts.flags, dtype)
    peak = threads * facts.clock_hz * per_cycle
    from llmprep.messages import said

    # the clock's source may come from the cache as plain English: said again by its key when known
    source = CLOCK_SOURCE_KEYS.get(facts.clock_source)
    return peak, said("bench.cpu_formula", threads=threads, ghz=f"{facts.clock_hz / 1e9:.2f}",
                      clock_source=said(source) if source else facts.clock_source, per_cycle=per_cycle,
                      dtype=dtype, isa=isa)


def _triad_bytes_per_s(elements: int, runs: int) -> float:
    import time

    import torch

    b = torch.ones(elements)
    c = torch.full((elements,), 2.0)
    a = torch.empty(elements)
    torch.add(b, c, alpha=3.0, out=a)  # first touch: page faults stay out of the timing
    repeats = max(1, (1 << 22) // elements)  # small arrays: several triads per sample, as STREAM's NTIMES
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter_ns()
        for _ in range(repeats):
            torch.add(b, c, alpha=3.0, out=a)
        best = min(best, (time.perf_counter_ns() - start) / repeats)
    return 3 * elements * 4 / (best / 1e9)


def triad_levels(facts: CpuFacts, threads: int) -> list[tuple[str, int, float]]:
    """(level, capacity in bytes, triad bytes/s) for the L2s, the last-level cache and DRAM."""
    l2 = facts.caches.get(2, 512 * 2**10) * threads
    llc = facts.caches.get(3, 0) or l2
    levels = [("L2", l2), ("L3", llc)] if llc > l2 else [("L2", l2)]
    measured = []
    for label, capacity in levels:
        elements = max(4096, capacity // 2 // 12)  # three float32 arrays filling half the level
        measured.append((label, capacity, _triad_bytes_per_s(elements, TRIAD_RUNS * 4)))
    dram_elements = max(8 * 2**20, 4 * llc // 12)
    measured.append(("DRAM", 2**62, _triad_bytes_per_s(dram_elements, TRIAD_RUNS)))
    return measured


def _cache_file() -> Path:
    from llmprep.paths import data_dir

    return data_dir() / "bench-cpu-triad.json"


def best_on_this_machine(facts: CpuFacts, threads: int) -> tuple[CpuFacts, list[tuple[str, int, float]], int]:
    """The clock and the triad now, each raised to the best ever kept for this CPU and thread count:
    (facts with that clock, levels, runs kept). A busy run can raise a bound, never lower it."""
    import dataclasses

    key = f"{facts.name}|{threads}|{os.cpu_count()}"
    now = triad_levels(facts, threads)
    path = _cache_file()
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    entry = kept.get(key, {})
    before = {level: rate for level, _, rate in entry.get("levels", [])}
    best = [(level, capacity, max(rate, before.get(level, 0.0))) for level, capacity, rate in now]
    runs = int(entry.get("runs", 0)) + 1
    if float(entry.get("clock_hz", 0.0)) > facts.clock_hz:
        facts = dataclasses.replace(facts, clock_hz=float(entry["clock_hz"]), clock_source=entry["clock_source"])
    kept[key] = {"levels": best, "runs": runs, "clock_hz": facts.clock_hz, "clock_source": facts.clock_source}
    try:
        path.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    except OSError:
        pass
    return facts, best, runs
