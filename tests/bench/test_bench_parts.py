"""The bench's pure parts: declarations, intervals, fits, the roofline, verdicts, skipping, Ctrl-C."""

from __future__ import annotations

import math
import random

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from llmprep.bench.cpu_peak import flops_per_cycle
from llmprep.bench.measure import median_interval, summarize
from llmprep.bench.peaks import DevicePeak
from llmprep.bench.plan import BenchOptions, declaration
from llmprep.bench.results import BenchResult, BenchRow, judge_noise, ratio_interval, roofline, verdict
from llmprep.bench.run import Progress, Runner
from llmprep.bench.sweep import log_log_fit, upper_points
from llmprep.exercise_api import Bench
from llmprep.exercises import load_exercise_folder


def _bench(**extra):
    return Bench(dims={"T": [128, 512]}, fixed={"B": 4, "D": 64}, make=lambda gen, **dims: dims,
                 flops=lambda case: 1, bytes_moved=lambda case: 1, **extra)


def test_a_declaration_names_its_sizes_by_the_growing_dimension():
    bench = _bench(quick={"T": 32, "B": 1})
    assert [s.name for s in bench.sizes()] == ["T=128", "T=512"]
    assert bench.sizes()[1].values() == {"B": 4, "D": 64, "T": 512}
    quick = bench.quick_size()
    # A fixed dimension changed for --quick is part of the name: it is another problem than T=32 with B=4.
    assert quick.name == "T=32 B=1" and quick.values() == {"B": 1, "D": 64, "T": 32}
    assert bench.fixed_text() == "B=4 D=64"


@pytest.mark.parametrize("bad", [{"dims": {"T": [1], "B": [2]}}, {"dims": {"T": [512, 128]}},
                                 {"dims": {"T": [128]}, "fixed": {"T": 1}}, {"dims": {"T": [1]}, "quick": {"X": 1}}])
def test_a_malformed_declaration_is_refused(bad):
    with pytest.raises(ValueError):
        Bench(make=None, flops=None, bytes_moved=None, **bad)


def test_every_exercise_with_a_bench_declares_it_by_named_dims():
    from llmprep.exercises import list_exercises

    declared = [e for e in list_exercises() if declaration(e)[0] is not None]
    assert len(declared) >= 20
    for exercise in declared:
        bench, _ = declaration(exercise)
        assert bench.dim not in bench.fixed and bench.sizes()


@pytest.mark.parametrize("n, expected", [(10, (2, 9)), (20, (6, 15)), (50, (18, 33)), (5, (1, 5))])
def test_median_interval_uses_the_binomial_order_statistics(n, expected):
    # Published 95% ranks for the median: n=10 → x(2)…x(9), n=20 → x(6)…x(15), n=50 → x(18)…x(33).
    assert median_interval([float(i) for i in range(1, n + 1)]) == expected


def test_the_median_interval_covers_the_true_median_about_95_percent_of_the_time():
    seed = 1234
    rng = random.Random(seed)
    covered = sum(low <= 0.0 <= high for low, high in
                  (median_interval([rng.gauss(0, 1) for _ in range(30)]) for _ in range(2000)))
    assert 0.93 <= covered / 2000 <= 0.995, f"seed {seed}: coverage {covered / 2000}"


@settings(max_examples=30, deadline=None)
@given(exponent=st.floats(0.0, 3.0), scale=st.floats(1e-3, 1e3), steps=st.integers(3, 8))
def test_fit_of_an_exact_power_law_is_its_exponent_with_r2_one(exponent, scale, steps):
    sizes = [2**k for k in range(steps)]
    fit = log_log_fit(sizes, [scale * s**exponent for s in sizes])
    assert fit.slope == pytest.approx(exponent, abs=1e-9) and fit.r2 == pytest.approx(1.0)
    assert fit.low == pytest.approx(fit.slope, abs=1e-6) and fit.high == pytest.approx(fit.slope, abs=1e-6)


def test_the_fit_uses_the_upper_sizes_where_the_growing_term_dominates():
    sizes = [128, 256, 512, 1024, 2048]
    times = [1.0 + 1e-6 * s**2 for s in sizes]  # a fixed cost flattens the small sizes
    first = upper_points(sizes, 512)
    assert sizes[first] == 512
    upper = log_log_fit(sizes[first:], times[first:])
    whole = log_log_fit(sizes, times)
    assert upper.slope > whole.slope and upper.points == 3
    assert upper_points([1, 2, 4, 8, 16, 32], None) == 3  # the upper half


def test_roofline_percent_is_the_nearer_bound_and_says_which():
    peak = DevicePeak("cpu", {"float32": 1e10}, 1e9, "hardware", (("L2", 1_000_000, 4e9),))
    row = BenchRow("x", "reference", "torch-cpu", "s", "float32", median_ms=2.0)
    roofline(row, 4_000_000, 2_000_000, peak, 1e10)  # 2 GFLOP/s of 10; 1 GB/s of DRAM's 1
    assert row.gflops == pytest.approx(2.0) and row.pct_peak == pytest.approx(100.0) and row.bound == "DRAM"
    cached = BenchRow("x", "reference", "torch-cpu", "s", "float32", median_ms=2.0)
    roofline(cached, 4_000_000, 1_000_000, peak, 1e10)  # fits the L2: 0.5 GB/s of 4
    assert cached.bound == "compute" and cached.pct_peak == pytest.approx(20.0)


def test_a_row_over_the_peak_is_reported_as_a_wrong_peak():
    result = BenchResult(device={"load": {"load1": 0.1, "cores": 2, "busy": False}})
    result.rows.append(BenchRow("x", "torch", "torch-cpu", "s", "float32", median_ms=1.0, iqr_ms=0.01,
                                pct_peak=120.0, bound="compute"))
    judge_noise(result)
    assert any("the peak is wrong" in note for note in result.notes)
    assert not any("busy" in note for note in result.notes)


def test_a_busy_machine_is_said_once():
    result = BenchResult(device={"load": {"load1": 7.5, "cores": 2, "busy": True}})
    result.rows += [BenchRow("x", b, "torch-cpu", "s", "float32", median_ms=1.0, iqr_ms=0.5) for b in ("a", "b")]
    judge_noise(result)
    assert sum("busy" in note for note in result.notes) == 1
    assert result.device["load"]["noisy_rows"] == 2


def test_compare_says_no_change_whenever_the_interval_includes_one():
    before = {"median_ms": 10.0, "ci_low_ms": 9.0, "ci_high_ms": 11.0}
    ratio, interval = ratio_interval({"median_ms": 10.5, "ci_low_ms": 9.5, "ci_high_ms": 12.0}, before)
    assert ratio == pytest.approx(1.05) and interval[0] < 1.0 < interval[1]
    assert verdict(interval) == "no change"
    _, faster = ratio_interval({"median_ms": 5.0, "ci_low_ms": 4.8, "ci_high_ms": 5.2}, before)
    assert verdict(faster) == "faster" and faster[1] == pytest.approx(5.2 / 9.0)
    _, slower = ratio_interval({"median_ms": 20.0, "ci_low_ms": 19.0, "ci_high_ms": 21.0}, before)
    assert verdict(slower) == "slower"


@pytest.mark.parametrize("flags, dtype, expected", [
    ({"avx512f", "avx2", "fma"}, "float32", 64), ({"avx2", "fma"}, "float32", 32), ({"avx2", "fma"}, "float64", 16),
    ({"avx"}, "float32", 16), ({"sse2"}, "float32", 8), ({"avx512f", "amx_bf16"}, "bfloat16", 1024),
    ({"avx512f", "avx512_bf16"}, "bfloat16", 128), ({"avx2", "fma"}, "bfloat16", 32)])
def test_flops_per_cycle_follow_the_cpu_flags(flags, dtype, expected):
    assert flops_per_cycle(frozenset(flags), dtype)[0] == expected


def test_an_exercise_without_a_bench_declaration_is_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "no-bench"
    folder.mkdir()
    (folder / "exercise.toml").write_text(
        'format_version = 1\nid = "no-bench"\ntopic = "attention"\ndifficulty = "easy"\nentry = "f"\n'
        'signature = "f(x)"\n[title]\nen = "t"\nzh = "t"\n')
    (folder / "spec.py").write_text("def fixed_cases():\n    return []\n")
    bench, why = declaration(load_exercise_folder(folder))
    assert bench is None and "no-bench" in why and "BENCH" in why


class InterruptAfter(Progress):
    """Presses Ctrl-C after `count` sizes."""

    def __init__(self, count: int):
        self.count = count

    def advance(self, label: str) -> None:
        self.count -= 1
        if self.count == 0:
            raise KeyboardInterrupt


def test_ctrl_c_keeps_the_rows_already_measured(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMPREP_HOME", str(tmp_path))
    options = BenchOptions(exercise_ids=["softmax", "rms-norm"], quick=True, budget_s=0.02,
                           backends=["reference", "torch"])
    result = Runner(options, InterruptAfter(1)).run()
    assert result.interrupted
    assert {row.exercise for row in result.rows} == {"softmax"}
    assert all(row.median_ms > 0 and not math.isnan(row.median_ms) for row in result.rows)


def test_a_module_builtin_with_its_own_weights_is_timed_but_not_compared(tmp_path, monkeypatch):
    monkeypatch.setenv("LLMPREP_HOME", str(tmp_path))
    options = BenchOptions(exercise_ids=["multi-head-attention"], quick=True, budget_s=0.02, warmup_s=0.01,
                           backends=["torch"])
    torch.manual_seed(0)
    (row,) = Runner(options).run().rows
    assert row.median_ms > 0 and row.correct is None and "own weights" in row.note


def test_summary_of_known_samples():
    timing = summarize([1.0, 2.0, 3.0, 4.0, 100.0])
    assert timing.median_ms == 3.0 and timing.min_ms == 1.0 and timing.n == 5
    assert (timing.ci_low_ms, timing.ci_high_ms) == (1.0, 100.0)
