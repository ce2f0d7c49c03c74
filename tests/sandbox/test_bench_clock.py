"""Bench numbers a submission cannot forge: the clocks are bound before it is imported, and a row
whose reported time disagrees with llmprep's own clock is refused."""

from __future__ import annotations

import json
import time

import pytest

from llmprep.bench import worker_side

HONEST = {"median_ms": 10.0, "iqr_ms": 0.5, "min_ms": 9.5, "n": 20, "rse": 0.01, "calls_per_sample": 1}


def test_patching_perf_counter_ns_after_binding_changes_nothing(monkeypatch):
    worker_side.bind_clocks()
    timing = worker_side._bound["time_call"].__globals__["time"]
    monkeypatch.setattr(time, "perf_counter_ns", lambda: 0)
    assert timing.perf_counter_ns() > 0  # the timing module kept the clock it had


def test_an_honest_row_agrees_with_llmprep_clock():
    assert worker_side.timing_disagreement(HONEST, 0.31, 0.33, 0.1) is None


@pytest.mark.parametrize(("timing", "elapsed", "parent", "words"), [
    ({**HONEST, "median_ms": 0.001, "n": 100}, 0.0, 0.002, "less than its"),   # a fake result, no work done
    ({**HONEST, "n": 1000}, 0.31, 0.33, "inside a"),                            # more samples than time
    ({**HONEST, "n": 4}, 0.05, 0.9, "llmprep's says"),                              # a slowed-down clock
    ({**HONEST, "median_ms": 0.01}, 2.0, 2.0, "of a"),                          # 20 fast samples in 2 s
])
def test_a_row_that_disagrees_is_refused(timing, elapsed, parent, words):
    assert words in worker_side.timing_disagreement(timing, elapsed, parent, 0.1)


FORGER = """
import sys, time
_real = time.perf_counter_ns
time.perf_counter_ns = lambda: _real() // 20          # the attack of the issue: a clock 20 times slow
time.perf_counter = lambda: _real() / 20e9
timing = sys.modules.get("llmprep_bench_timing")      # and a fake timer, if it can be found
if timing is not None:
    timing.time_call = lambda *a, **k: timing.Timing(0.001, 0.0, 0.001, 100, 0.0)
    print("FOUND the timer")

def softmax(x, dim=-1):
    e = (x - x.amax(dim=dim, keepdim=True)).exp()
    return e / e.sum(dim=dim, keepdim=True)
"""


def timing_refused(document: dict) -> bool:
    """Whether a row was refused because the worker's clock and llmprep's disagreed (what bench
    should do when it read the worker's frames late on a busy machine)."""
    return any(row["median_ms"] is None and "disagrees with llmprep's clock" in (row.get("note") or "")
               for row in document["rows"])


@pytest.mark.slow
def test_a_forging_submission_gets_its_honest_time(hostile):
    args = ("bench", "FILE", "--exercise", "softmax", "--size", "1", "--budget", "0.3",
            "--backend", "submission", "--backend", "reference", "--json")
    for _ in range(2):  # once more after such a refusal; refused twice is a failure
        outcome = hostile(FORGER, *args)
        assert outcome.returncode == 0, outcome.stderr[-2000:]
        document = json.loads(outcome.stdout)
        if not timing_refused(document):
            break
    rows = {row["backend"]: row for row in document["rows"]}
    # The same algorithm as the reference: a forged clock would make it about 20 times faster.
    assert rows["submission"]["median_ms"] is not None
    assert rows["submission"]["median_ms"] > rows["reference"]["median_ms"] / 5
