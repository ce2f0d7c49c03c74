"""The bench's building blocks: timers, the peak table, ONNX export and sessions (real, on the CPU)."""

from __future__ import annotations

import time

import pytest
import torch

from llmprep.bench.onnx_runtime import export_module, make_runner, open_session
from llmprep.bench.peaks import cpu_peak, gpu_peak
from llmprep.bench.timing import _summarize, time_call, time_on_cpu


def test_summary_statistics_of_known_samples():
    timing = _summarize([1.0, 2.0, 3.0, 4.0, 100.0], calls_per_sample=1)
    assert timing.median_ms == 3.0
    assert timing.min_ms == 1.0
    assert timing.iqr_ms == pytest.approx(2.0)  # inclusive quartiles 2 and 4
    assert timing.n == 5


def _spin(ms: float) -> None:
    """Burn `ms` of this thread's CPU time (what the one-thread CPU clock counts; a sleep costs none)."""
    start = time.thread_time_ns()
    while time.thread_time_ns() - start < ms * 1e6:
        pass


def test_cpu_timer_measures_a_known_amount_of_work():
    timing = time_on_cpu(lambda: _spin(2.0), budget_s=0.3, warmup_s=0.01, min_samples=5)
    assert 2.0 <= timing.median_ms < 20.0
    assert timing.n >= 5 and timing.calls_per_sample == 1
    assert timing.ci_low_ms <= timing.median_ms <= timing.ci_high_ms


def test_with_one_thread_the_cpu_clock_ignores_time_the_thread_does_not_run():
    torch.set_num_threads(1)
    timing = time_on_cpu(lambda: time.sleep(0.002), budget_s=0.1, warmup_s=0.0, min_samples=3)
    assert timing.median_ms < 1.0  # a sleep uses no CPU: descheduled time is not the call's cost


def test_cpu_timer_batches_fast_calls():
    timing = time_on_cpu(lambda: None, budget_s=0.2, warmup_s=0.01, min_samples=5)
    assert timing.calls_per_sample > 100
    assert timing.median_ms < 0.01


def test_a_slow_call_can_be_a_whole_row_when_the_caller_allows_it():
    calls = []
    timing = time_on_cpu(lambda: (calls.append(1), _spin(5.0)), budget_s=0.001, warmup_s=0.0,
                         min_samples_at_deadline=1)
    assert len(calls) == 1 and timing.n == 1 and timing.median_ms >= 5.0
    calls.clear()
    default = time_on_cpu(lambda: (calls.append(1), _spin(5.0)), budget_s=0.001, warmup_s=0.0)
    assert default.n == 3 and len(calls) == 3  # by default three samples, however slow


def test_cuda_timer_needs_cuda():
    if torch.cuda.is_available():
        timing = time_call(lambda: torch.ones(1024, device="cuda").sum(), "cuda", budget_s=0.2)
        assert timing.n >= 3 and timing.median_ms > 0
    else:
        with pytest.raises((RuntimeError, AssertionError)):
            time_call(lambda: None, "cuda", budget_s=0.1)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("NVIDIA H100 80GB HBM3", "H100 SXM"),
        ("NVIDIA H100 PCIe", "H100 PCIe"),
        ("NVIDIA H200", "H200 SXM"),
        ("NVIDIA A100-SXM4-80GB", "A100 SXM 80GB"),
        ("NVIDIA A100-PCIE-40GB", "A100 40GB"),
        ("NVIDIA L4", "L4"),
        ("NVIDIA GeForce RTX 4090", "RTX 4090"),
        ("NVIDIA GeForce GTX 1080", None),
    ],
)
def test_gpu_names_map_to_their_datasheet_peaks(name, expected):
    peak = gpu_peak(name)
    assert (peak.name if peak else None) == expected


def test_h100_sxm_figures():
    peak = gpu_peak("NVIDIA H100 80GB HBM3")
    assert peak.flops["bfloat16"] == pytest.approx(989.4e12)
    assert peak.bytes_per_s == pytest.approx(3.35e12)
    assert peak.source == "datasheet"


def test_cpu_peak_comes_from_the_hardware_and_a_matmul_stays_under_it(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMPREP_HOME", str(tmp_path))
    torch.set_num_threads(1)
    peak, described = cpu_peak("float32", threads=1)
    assert peak.source == "hardware" and "FLOP/cycle" in described["source"] and "triad" in described["source"]
    assert 1e9 < peak.flops["float32"] < 1e13 and 1e8 < peak.bytes_per_s < 1e12
    # Whether a timed matmul stays under this peak is a measurement, not a unit test: on a VM the
    # clock reads low at times, and a run that beats the peak says so in its notes (tested below).
    # A working set that fits a cache level is held against that level; anything larger against DRAM.
    assert peak.bandwidth_for(2**62) == (peak.bytes_per_s, "DRAM")
    if peak.levels:
        level, capacity, rate = peak.levels[0]
        assert peak.bandwidth_for(capacity) == (rate, level)


class Attention(torch.nn.Module):
    def forward(self, q, k, v):
        weights = torch.softmax(q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5, dim=-1)
        return weights @ v


@pytest.mark.slow  # 12.9 s measured: an ONNX export
def test_onnx_export_and_cpu_session_reproduce_torch(tmp_path):
    q, k, v = (torch.randn(1, 2, 8, 4) for _ in range(3))
    exported = export_module(Attention(), (q, k, v), tmp_path / "attn.onnx", ["q", "k", "v"])
    assert exported.exporter in ("dynamo", "torchscript") and exported.opset >= 17
    session = open_session(exported.path, want_cuda=False)
    assert session.provider == "CPUExecutionProvider"
    run, fetch = make_runner(session, {"q": q, "k": k, "v": v})
    run()
    torch.testing.assert_close(fetch(), Attention()(q, k, v), atol=1e-5, rtol=1e-5)


@pytest.mark.slow  # 3.4 s measured: an ONNX export
def test_cuda_session_is_never_claimed_when_cuda_is_unavailable(tmp_path):
    x = torch.randn(3, 4)
    exported = export_module(torch.nn.ReLU(), (x,), tmp_path / "relu.onnx", ["x"])
    session = open_session(exported.path, want_cuda=True, cuda_reason="no GPU")
    assert session.provider == "CPUExecutionProvider"
    assert "no GPU" in session.note
