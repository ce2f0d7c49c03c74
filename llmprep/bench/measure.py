"""Timing several backends round-robin (A B C A B C …), so drift on a busy machine hits all alike.

Each sample of a backend on the CPU is one `torch.utils.benchmark.Timer.timeit(number)` (the
well-kept timer: it pins the thread count and batches fast calls). With one thread (the bench's
default) its clock is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which time the scheduler
gives to other processes does not inflate: on a 2-core machine at load 7 the wall-clock samples of
one attention call spread over 2×, its CPU-time samples over 1.1×. Contention for caches and
memory bandwidth still shows. With more threads the clock is wall time. On CUDA, CUDA events around
one call after a 256 MiB L2 flush outside the timed window. Sampling goes round by round until
every backend's 95% confidence interval of the median is within ±`target` of it, or the budget
is spent. The median's interval comes from order statistics (no assumption about the
distribution, which on a busy machine is skewed).
"""

from __future__ import annotations

import logging
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from llmprep.bench.timing import median_interval

MIN_SAMPLE_S = 1e-3        # batch fast calls so each CPU sample lasts at least this long
L2_FLUSH_BYTES = 256 * 2**20


@dataclass(frozen=True)
class Timing:
    """Per-call times of one backend at one size, in milliseconds."""

    median_ms: float
    ci_low_ms: float
    ci_high_ms: float
    iqr_ms: float
    min_ms: float
    n: int
    calls_per_sample: int = 1

    @property
    def spread(self) -> float:
        """IQR ÷ median: how much the samples disagree."""
        return self.iqr_ms / self.median_ms if self.median_ms > 0 else math.inf

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return asdict(self)


def summarize(samples: list[float], calls_per_sample: int = 1) -> Timing:
    """Median, its interval, IQR and minimum of per-call samples (ms)."""
    low, high = median_interval(samples)
    if len(samples) >= 2:
        q = statistics.quantiles(samples, n=4, method="inclusive")
        iqr = q[2] - q[0]
    else:
        iqr = 0.0
    return Timing(statistics.median(samples), low, high, iqr, min(samples), len(samples), calls_per_sample)


def cpu_clock(threads: int) -> Callable[[], float]:
    """The clock of CPU samples: the calling thread's CPU time when it does all the work, else wall time."""
    return time.thread_time if threads == 1 else time.perf_counter


def cpu_clock_name(threads: int) -> str:
    """What `cpu_clock` measures, for the report."""
    from llmprep.messages import said

    return said("bench.clock_cpu_thread") if threads == 1 else said("bench.clock_cpu_wall")


class CpuSampler:
    """One backend on the CPU: torch.utils.benchmark's Timer with a fixed thread count."""

    def __init__(self, fn: Callable[[], object], threads: int):
        # torch.utils.benchmark imports cpp_extension, which logs about CUDA_HOME on CPU machines.
        logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
        import torch.utils.benchmark as benchmark

        self._timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads, timer=cpu_clock(threads))
        self.calls = 1

    def warm_up(self, seconds: float) -> None:
        """Call until `seconds` have passed (at least once), then size the batch of one sample."""
        started = time.perf_counter()
        while True:
            per_call = self._timer.timeit(self.calls).median
            if time.perf_counter() - started >= seconds:
                break
        while per_call * self.calls < MIN_SAMPLE_S and self.calls < 1 << 20:
            self.calls *= 2

    def sample(self) -> float:
        """One sample: ms per call over a batch."""
        return self._timer.timeit(self.calls).median * 1e3


class CudaSampler:
    """One backend on CUDA: events around one call, the L2 flushed outside the timed window."""

    def __init__(self, fn: Callable[[], object], flush):
        self._fn = fn
        self._flush = flush
        self.calls = 1

    def warm_up(self, seconds: float) -> None:
        """Call until `seconds` have passed (at least once)."""
        import torch

        started = time.perf_counter()
        while True:
            self._fn()
            torch.cuda.synchronize()
            if time.perf_counter() - started >= seconds:
                break

    def sample(self) -> float:
        """One call, in ms."""
        import torch

        self._flush.zero_()
        begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        begin.record()
        self._fn()
        end.record()
        end.synchronize()
        return begin.elapsed_time(end)


def make_sampler(fn: Callable[[], object], device: str, threads: int, flush=None):
    """The sampler that fits the device; on CUDA pass one shared flush buffer (see `l2_flush_buffer`)."""
    if device.startswith("cuda"):
        return CudaSampler(fn, flush if flush is not None else l2_flush_buffer(device))
    return CpuSampler(fn, threads)


def l2_flush_buffer(device: str):
    """A buffer larger than any current GPU's L2 (H100 50 MB, H200 60 MB), zeroed before each sample."""
    import torch

    return torch.empty(L2_FLUSH_BYTES // 4, dtype=torch.int32, device=device)


def round_robin(samplers: dict[str, object], *, budget_s: float, warmup_s: float, target: float = 0.02,
                min_rounds: int = 5, rounds_at_deadline: int = 3) -> dict[str, Timing]:
    """Sample every backend once per round until all medians are within ±`target` (95% interval) or the
    budget (per backend) is spent; a backend that raises drops out and its exception is re-raised by key."""
    for sampler in samplers.values():
        sampler.warm_up(warmup_s)
    samples: dict[str, list[float]] = {key: [] for key in samplers}
    deadline = time.perf_counter() + budget_s * len(samplers)
    rounds = 0
    while True:
        for key, sampler in samplers.items():
            samples[key].append(sampler.sample())
        rounds += 1
        if rounds >= min_rounds and all(_tight(s, target) for s in samples.values()):
            break
        if time.perf_counter() >= deadline and rounds >= rounds_at_deadline:
            break
    return {key: summarize(values, samplers[key].calls) for key, values in samples.items()}


def _tight(samples: list[float], target: float) -> bool:
    low, high = median_interval(samples)
    middle = statistics.median(samples)
    return middle > 0 and (high - low) / 2 <= target * middle
