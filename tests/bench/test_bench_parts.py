"""The bench's pure parts: sweep planning and fits, the roofline, skipping, Ctrl-C."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from llmprep.bench.run import BenchOptions, BenchRow, Progress, Runner, bench_spec, roofline
from llmprep.bench.sweep import log_log_slope, plan_sweep, scale_case
from llmprep.exercises import get_exercise, load_exercise_folder
from llmprep.grading.cases import Case, load_module


@settings(max_examples=30, deadline=None)
@given(exponent=st.floats(0.0, 3.0), scale=st.floats(1e-3, 1e3), steps=st.integers(2, 8))
def test_slope_of_an_exact_power_law_is_its_exponent(exponent, scale, steps):
    sizes = [128 * 2**k for k in range(steps)]
    assert log_log_slope(sizes, [scale * n**exponent for n in sizes]) == pytest.approx(exponent, abs=1e-9)


def test_slope_needs_two_positive_points():
    assert log_log_slope([128], [1.0]) is None
    assert log_log_slope([128, 256], [0, 0]) is None


def test_attention_sweep_doubles_the_sequence_length_of_q_k_and_v_together():
    spec = load_module(get_exercise("scaled-dot-product-attention"), "spec.py")
    cases = spec.bench_sizes()
    plan = plan_sweep(cases)
    assert plan.label == "T" and plan.start == 128
    assert set(plan.positions) == {("args", 0, 2), ("args", 1, 2), ("args", 2, 2)}
    grown = scale_case(cases[0], plan, 4)
    assert [tuple(t.shape) for t in grown.args] == [(4, 8, 512, 64)] * 3
    assert grown.kwargs == {"is_causal": True} and grown.name == "T=512"


def test_sweep_scales_integer_arguments_and_leaves_fixed_ones():
    cases = [Case("a", (2048, 512)), Case("b", (8192, 512))]
    plan = plan_sweep(cases)
    assert scale_case(cases[0], plan, 2).args == (4096, 512)
    assert plan_sweep([Case("only", (8, 8))]) is None
    assert plan_sweep([Case("a", (8,)), Case("b", (8,))]) is None


def test_roofline_percent_is_the_nearer_of_the_compute_and_bandwidth_bounds():
    row = BenchRow("x", "reference", "torch-cpu", "s", "float32", median_ms=2.0)
    roofline(row, flops=4_000_000, bytes_moved=1_000_000, peak_flops=1e10, peak_bytes=1e9)
    assert row.gflops == pytest.approx(2.0) and row.gbps == pytest.approx(0.5)
    assert row.intensity == pytest.approx(4.0)
    # 2e9 FLOP/s of 1e10 is 20%; 0.5e9 B/s of 1e9 is 50%: the memory bound is the binding one
    assert row.pct_peak == pytest.approx(50.0)
    unknown = BenchRow("x", "reference", "torch-cpu", "s", "float32", median_ms=2.0)
    roofline(unknown, flops=4_000_000, bytes_moved=None, peak_flops=None, peak_bytes=None)
    assert unknown.gflops == pytest.approx(2.0) and unknown.pct_peak is None


def test_an_exercise_without_bench_metadata_is_skipped_with_a_reason(tmp_path):
    folder = tmp_path / "no-bench"
    folder.mkdir()
    (folder / "exercise.toml").write_text(
        'format_version = 1\nid = "no-bench"\ntopic = "attention"\ndifficulty = "easy"\nentry = "f"\n'
        'signature = "f(x)"\n[title]\nen = "t"\nzh = "t"\n')
    (folder / "spec.py").write_text("def fixed_cases():\n    return []\n")
    spec, why = bench_spec(load_exercise_folder(folder))
    assert spec is None and "no-bench" in why and "bench_sizes" in why


class InterruptAfter(Progress):
    """Presses Ctrl-C after `count` rows."""

    def __init__(self, count: int):
        self.count = count

    def advance(self, label: str) -> None:
        self.count -= 1
        if self.count == 0:
            raise KeyboardInterrupt


def test_ctrl_c_keeps_the_rows_already_measured():
    options = BenchOptions(exercise_ids=["softmax"], quick=True, budget_s=0.02, backends=["reference", "torch"])
    result = Runner(options, InterruptAfter(1)).run()
    assert result.interrupted
    assert [row.backend for row in result.rows] == ["reference"]
    assert result.rows[0].median_ms > 0 and not math.isnan(result.rows[0].median_ms)


def test_a_module_builtin_with_its_own_weights_is_timed_but_not_compared():
    options = BenchOptions(exercise_ids=["multi-head-attention"], quick=True, budget_s=0.02, warmup_s=0.01,
                           backends=["torch"])
    torch.manual_seed(0)
    (row,) = Runner(options).run().rows
    assert row.median_ms > 0 and row.correct is None and "own weights" in row.note

