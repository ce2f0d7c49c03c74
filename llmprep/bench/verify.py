"""`llmprep bench --verify-timer`: our timer against a well-kept one on the same fixed matmul, interleaved.

On the CPU the independent timer is torch.utils.benchmark.Timer.blocked_autorange; on CUDA it is
triton.testing.do_bench (when triton is importable). The two take turns, round by round, so a
change in the machine's load hits both alike; the verdict is `agree` when the medians are within
15% on the CPU or 5% on CUDA. On CUDA a bf16 8192³ matmul is also placed against the datasheet peak.
"""

from __future__ import annotations

import logging
import statistics
from typing import Any

from llmprep.messages import said

CPU_MATMUL = 512
CUDA_MATMUL = 4096
PEAK_MATMUL = 8192
TOLERANCE = {"cpu": 0.15, "cuda": 0.05}
ROUNDS = 7


def verify_timer(device: str, threads: int, budget_s: float = 1.0) -> dict[str, Any]:
    """Median ms of a fixed matmul by our timer and by the independent one, interleaved, with a verdict."""
    import torch

    from llmprep.bench.measure import make_sampler, summarize

    size = CUDA_MATMUL if device == "cuda" else CPU_MATMUL
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)

    def matmul():
        return torch.mm(a, b)

    report_peak = peak_matmul(budget_s) if device == "cuda" else None  # first, on a cool GPU (see peak_matmul)
    ours = make_sampler(matmul, device, threads)
    ours.warm_up(0.2)
    theirs, how = _independent_timer(matmul, device, threads, budget_s / ROUNDS)
    report: dict[str, Any] = {"device": device, "threads": threads,
                              "kernel": f"torch.mm {size}×{size}×{size} {str(dtype).replace('torch.', '')}",
                              "notes": []}
    if theirs is None:
        report["notes"].append(how)
        report["verdict"] = None
        return report
    ours_samples, theirs_samples = [], []
    per_round = max(1, int(budget_s / ROUNDS / max(ours.sample() / 1e3, 1e-6)))
    for _ in range(ROUNDS):  # A B A B …: drift hits both timers alike
        ours_samples += [ours.sample() for _ in range(per_round)]
        theirs_samples.append(theirs())
    mine = summarize(ours_samples, ours.calls)
    reference_ms = statistics.median(theirs_samples)
    ratio = mine.median_ms / reference_ms
    tolerance = TOLERANCE["cuda" if device == "cuda" else "cpu"]
    report.update({
        "ours": {"median_ms": mine.median_ms, "ci_ms": [mine.ci_low_ms, mine.ci_high_ms], "iqr_ms": mine.iqr_ms,
                 "n": mine.n, "calls_per_sample": mine.calls_per_sample},
        "reference": {"median_ms": reference_ms, "n": len(theirs_samples), "how": how},
        "ratio": ratio, "tolerance": tolerance,
        "verdict": "agree" if abs(ratio - 1.0) <= tolerance else "disagree",
    })
    # Kept for readers of earlier documents.
    key = "triton" if device == "cuda" else "torch_benchmark"
    report[key] = report["reference"]
    report[f"ratio_vs_{key}"] = ratio
    if report_peak is not None:
        report["peak_matmul"] = report_peak
    else:
        report["notes"].append(said("bench.verify_cpu_only", size=PEAK_MATMUL))
    return report


def _independent_timer(fn, device: str, threads: int, seconds: float):
    """(a function giving one median in ms, how it times) or (None, why there is none)."""
    if device == "cuda":
        try:
            from triton.testing import do_bench
        except ImportError:
            return None, said("bench.no_triton")
        rep_ms = max(25, int(seconds * 1e3))
        return (lambda: float(do_bench(fn, warmup=5, rep=rep_ms, return_mode="median")),
                said("bench.how_triton"))
    logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
    import torch.utils.benchmark as benchmark

    from llmprep.bench.measure import cpu_clock, cpu_clock_name

    # The same clock as the bench's (the loop and the statistics are what is checked, not the OS's clock).
    timer = benchmark.Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads, timer=cpu_clock(threads))
    return (lambda: timer.blocked_autorange(min_run_time=seconds).median * 1e3,
            said("bench.how_cpu", clock=cpu_clock_name(threads)))


def _sm_clock_mhz() -> int | None:
    import torch

    try:
        return int(torch.cuda.clock_rate())
    except Exception:  # needs NVML (nvidia-ml-py); the clock is a remark, not a result
        return None


def peak_matmul(budget_s: float) -> dict[str, Any]:
    """A bf16 8192³ matmul on the GPU, timed by our CUDA sampler, against the datasheet peak.

    The datasheet figure is a boost-clock figure. Under sustained load a GPU lowers its clock to
    stay in its power limit (random data draws more power than zeros), so this runs before the
    other checks, with a short warm-up, and reports the SM clock before and after as well as the
    median and the best sample."""
    import torch

    from llmprep.bench.measure import make_sampler, round_robin
    from llmprep.bench.peaks import gpu_peak

    n = PEAK_MATMUL
    generator = torch.Generator(device="cuda").manual_seed(0)
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16, generator=generator)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16, generator=generator)
    clock_before = _sm_clock_mhz()
    timing = round_robin({"mm": make_sampler(lambda: torch.mm(a, b), "cuda", 1)}, budget_s=min(budget_s, 1.0),
                         warmup_s=0.2)["mm"]
    clock_after = _sm_clock_mhz()
    achieved = 2 * n**3 / (timing.median_ms / 1e3)
    best = 2 * n**3 / (timing.min_ms / 1e3)
    name = torch.cuda.get_device_name(0)
    peak = gpu_peak(name)
    datasheet = None if peak is None else peak.flops["bfloat16"]
    return {"kernel": f"torch.mm {n}³ bfloat16 (random normal data)", "median_ms": timing.median_ms,
            "ci_ms": [timing.ci_low_ms, timing.ci_high_ms], "n": timing.n, "tflops": achieved / 1e12,
            "best_tflops": best / 1e12, "sm_clock_mhz": [clock_before, clock_after], "gpu": name,
            "peak_tflops": None if datasheet is None else datasheet / 1e12,
            "pct_peak": None if datasheet is None else 100 * achieved / datasheet,
            "best_pct_peak": None if datasheet is None else 100 * best / datasheet}
