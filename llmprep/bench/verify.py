"""`llmprep bench --verify-timer`: our timer against independent ones on the same fixed matmul.

On the CPU the comparison is torch.utils.benchmark.Timer.blocked_autorange (same thread count);
on CUDA also triton.testing.do_bench when triton is importable, and a bf16 8192³ matmul as a
fraction of the GPU's datasheet peak. Nothing here asserts a ratio: it reports the numbers.
"""

from __future__ import annotations

from typing import Any

CPU_MATMUL = 512
CUDA_MATMUL = 4096
PEAK_MATMUL = 8192


def verify_timer(device: str, budget_s: float = 1.0) -> dict[str, Any]:
    """Median ms of a fixed matmul by our timer and by the reference timers, and their ratios."""
    import torch
    import torch.utils.benchmark as benchmark

    from llmprep.bench.timing import time_call

    threads = torch.get_num_threads()
    size = CUDA_MATMUL if device == "cuda" else CPU_MATMUL
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)
    b = torch.randn(size, size, generator=generator).to(device=device, dtype=dtype)

    def matmul():
        return torch.mm(a, b)

    ours = time_call(matmul, device, budget_s=budget_s, warmup_s=0.2)
    measured = benchmark.Timer(stmt="torch.mm(a, b)", globals={"torch": torch, "a": a, "b": b},
                               num_threads=threads).blocked_autorange(min_run_time=budget_s)
    reference_ms = measured.median * 1e3
    report: dict[str, Any] = {
        "device": device, "threads": threads,
        "kernel": f"torch.mm {size}×{size}×{size} {str(dtype).replace('torch.', '')}",
        "ours": {"median_ms": ours.median_ms, "iqr_ms": ours.iqr_ms, "n": ours.n,
                 "calls_per_sample": ours.calls_per_sample},
        "torch_benchmark": {"median_ms": reference_ms, "n": len(measured.times),
                            "how": "torch.utils.benchmark.Timer.blocked_autorange"},
        "ratio_vs_torch_benchmark": ours.median_ms / reference_ms,
        "notes": [],
    }
    if device != "cuda":
        report["notes"].append("CPU only: the CUDA comparisons (triton.testing.do_bench, bf16 "
                               f"{PEAK_MATMUL}³ at % of peak) need a GPU and are skipped")
        return report
    try:
        from triton.testing import do_bench
    except ImportError:
        report["notes"].append("triton is not importable: no triton.testing.do_bench comparison")
    else:
        triton_ms = float(do_bench(matmul, return_mode="median"))
        report["triton"] = {"median_ms": triton_ms, "how": "triton.testing.do_bench (median)"}
        report["ratio_vs_triton"] = ours.median_ms / triton_ms
    report["peak_matmul"] = _peak_matmul(budget_s)
    return report


def _peak_matmul(budget_s: float) -> dict[str, Any]:
    import torch

    from llmprep.bench.peaks import gpu_peak
    from llmprep.bench.timing import time_on_cuda

    n = PEAK_MATMUL
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    timing = time_on_cuda(lambda: torch.mm(a, b), budget_s=budget_s, warmup_s=0.5)
    achieved = 2 * n**3 / (timing.median_ms / 1e3)
    name = torch.cuda.get_device_name(0)
    peak = gpu_peak(name)
    return {"kernel": f"torch.mm {n}³ bfloat16", "median_ms": timing.median_ms, "tflops": achieved / 1e12,
            "gpu": name, "peak_tflops": None if peak is None else peak.flops["bfloat16"] / 1e12,
            "pct_peak": None if peak is None else 100 * achieved / peak.flops["bfloat16"]}
