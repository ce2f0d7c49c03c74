"""Adaptive timers: CUDA events with an L2 flush on the GPU; on the CPU the thread's CPU time with one
torch thread, else perf_counter_ns (the worker times a submission with these).

Both loops warm up by time, then take samples until the relative standard error of the mean
drops under `target_rse` (1%) or the time budget is spent, and report the median, the IQR,
the minimum and the number of samples.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

L2_FLUSH_BYTES = 256 * 2**20  # larger than any current GPU's L2 (H100: 50 MB, H200: 60 MB)
# Taken when this file loads, before any submission runs (the worker then freezes `time`, see worker_side).
_THREAD_NS = time.thread_time_ns
CPU_MIN_SAMPLE_NS = 200_000  # batch fast calls so timer overhead stays under ~1%


@dataclass(frozen=True)
class Timing:
    """Per-call times of one function, in milliseconds."""

    median_ms: float
    iqr_ms: float
    min_ms: float
    n: int
    rse: float  # relative standard error of the mean when sampling stopped
    calls_per_sample: int = 1
    ci_low_ms: float | None = None   # the median's 95% interval (order statistics)
    ci_high_ms: float | None = None

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return asdict(self)


def _quartiles(samples: list[float]) -> tuple[float, float]:
    if len(samples) < 2:
        return samples[0], samples[0]
    q = statistics.quantiles(samples, n=4, method="inclusive")
    return q[0], q[2]


def _rse(samples: list[float]) -> float:
    if len(samples) < 2:
        return math.inf
    mean = statistics.fmean(samples)
    return statistics.stdev(samples) / math.sqrt(len(samples)) / mean if mean > 0 else math.inf


def median_interval(samples: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """A distribution-free interval for the median: order statistics x(j) … x(n+1-j) whose binomial
    coverage is at least `confidence` (with fewer than 6 samples, the whole range)."""
    ordered = sorted(samples)
    n = len(ordered)
    if n > 300:  # the binomial's normal approximation (exact sums of huge integers get slow)
        k = max(1, int(n / 2 - 1.96 * math.sqrt(n) / 2))
        return ordered[k - 1], ordered[n - k]
    # [x(k), x(n+1-k)] covers the median with probability 1 - 2·P(Binomial(n, 1/2) <= k - 1).
    k, below = 1, 1 / 2**n
    while k < (n + 1) // 2:
        wider = below + math.comb(n, k) / 2**n
        if 2 * wider > 1.0 - confidence:
            break
        k, below = k + 1, wider
    return ordered[k - 1], ordered[n - k]


def _summarize(samples: list[float], calls_per_sample: int) -> Timing:
    q1, q3 = _quartiles(samples)
    low, high = median_interval(samples)
    return Timing(
        median_ms=statistics.median(samples),
        iqr_ms=q3 - q1,
        min_ms=min(samples),
        n=len(samples),
        rse=_rse(samples),
        calls_per_sample=calls_per_sample,
        ci_low_ms=low,
        ci_high_ms=high,
    )


def keep_freed_memory() -> None:
    """Tell glibc's allocator to keep freed memory (no mmap per large block, no automatic trimming).

    Otherwise whether a call's temporaries page-fault depends on the allocator's history (its mmap
    threshold moves as blocks are freed), and one unchanged softmax read 16 ms in one run and 50 ms
    in the next. Every backend runs under the same setting; the memory column is unaffected (it
    trims explicitly before measuring)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-4, 0)           # M_MMAP_MAX: never mmap a block
        libc.mallopt(-1, 2**30)       # M_TRIM_THRESHOLD: keep up to 1 GiB of freed memory
    except (OSError, AttributeError):
        pass


def _cpu_clock_ns() -> Callable[[], int]:
    # One torch thread does all the work on the calling thread: its CPU time is what the call costs,
    # whatever share of the core other processes took meanwhile. More threads: wall time.
    import torch

    return _THREAD_NS if torch.get_num_threads() == 1 else time.perf_counter_ns


def time_on_cpu(
    fn: Callable[[], object],
    *,
    budget_s: float = 2.0,
    warmup_s: float = 0.1,
    target_rse: float = 0.01,
    min_samples: int = 10,
    min_samples_at_deadline: int = 3,
) -> Timing:
    """Time `fn()` (the thread's CPU time with one torch thread, else perf_counter_ns); fast calls are
    batched so each sample is at least 0.2 ms; warm-up and budget are wall time.

    `warmup_s=0` skips the warm-up (the caller has just called `fn`); sampling stops at the
    deadline once `min_samples_at_deadline` samples exist, so one slow call can be a whole row."""
    keep_freed_memory()
    clock, wall = _cpu_clock_ns(), time.perf_counter_ns
    start = wall()
    while warmup_s > 0:  # warm-up by time, at least one call
        fn()
        if wall() - start >= warmup_s * 1e9:
            break
    deadline = wall() + budget_s * 1e9
    # Calibrate after warm-up (first calls are slow): double the batch until it fills a sample.
    # The batch that fills one is kept as the first sample.
    calls_per_sample = 1
    samples: list[float] = []
    while True:
        t0 = clock()
        for _ in range(calls_per_sample):
            fn()
        elapsed = clock() - t0
        if elapsed >= CPU_MIN_SAMPLE_NS or calls_per_sample >= 1 << 20:
            samples.append(elapsed / calls_per_sample / 1e6)
            break
        calls_per_sample *= 2

    while True:
        stable = len(samples) >= min_samples and _rse(samples) < target_rse
        spent = wall() >= deadline and len(samples) >= min_samples_at_deadline
        if stable or spent:
            break
        t0 = clock()
        for _ in range(calls_per_sample):
            fn()
        samples.append((clock() - t0) / calls_per_sample / 1e6)
    return _summarize(samples, calls_per_sample)


def time_on_cuda(
    fn: Callable[[], object],
    *,
    device=None,
    budget_s: float = 2.0,
    warmup_s: float = 0.1,
    target_rse: float = 0.01,
    min_samples: int = 10,
    flush_l2: bool = True,
) -> Timing:
    """Time `fn()` with CUDA events around each call; a 256 MB buffer is zeroed before each call
    (outside the timed window) so every call starts with a cold L2 cache."""
    import torch

    device = torch.device(device or "cuda")
    flush = torch.empty(L2_FLUSH_BYTES // 4, dtype=torch.int32, device=device) if flush_l2 else None
    torch.cuda.synchronize(device)
    start = time.perf_counter()
    while True:
        fn()
        torch.cuda.synchronize(device)
        if time.perf_counter() - start >= warmup_s:
            break

    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while True:
        if flush is not None:
            flush.zero_()
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        fn()
        end.record()
        end.synchronize()
        samples.append(begin.elapsed_time(end))
        now = time.perf_counter()
        if len(samples) >= min_samples and (_rse(samples) < target_rse or now >= deadline):
            break
        if now >= deadline and len(samples) >= 3:
            break
    return _summarize(samples, 1)


def time_call(fn: Callable[[], object], device: str, **kwargs) -> Timing:
    """Time `fn` with the timer that fits the device ("cpu" or "cuda[:N]")."""
    if device.startswith("cuda"):
        return time_on_cuda(fn, device=device, **kwargs)
    return time_on_cpu(fn, **kwargs)


# ---------------------------------------------------------------- memory


def _proc_status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _reset_peak_rss() -> bool:
    # Linux resets VmHWM (the peak resident set) to the current RSS when "5" is written here.
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _release_free_heap() -> None:
    # glibc keeps freed blocks resident (and raises its mmap threshold after each large free), so a
    # repeated call would show no growth at all; malloc_trim(0) hands the free pages back first.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def measure_peak_memory(fn: Callable[[], object], device: str) -> int | None:
    """Bytes one call of `fn` needs at its peak, beyond what was allocated before it.

    On CUDA, torch's peak allocated device memory; on the CPU, the growth of the peak resident
    set size (Linux only). None where it cannot be measured.
    """
    if device.startswith("cuda"):
        import torch

        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        fn()
        torch.cuda.synchronize(device)
        return max(0, torch.cuda.max_memory_allocated(device) - before)
    _release_free_heap()
    before = _proc_status_kib("VmRSS")
    if before is None or not _reset_peak_rss():
        return None
    fn()
    peak = _proc_status_kib("VmHWM")
    return None if peak is None else max(0, peak - before) * 1024
