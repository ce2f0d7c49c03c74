"""The unseen-mistakes corpus (tests/exercises/unseen): wrong implementations that are not in any
exercise's mistakes.py. Every one must be rejected on every seed, and the report must state the
fact each one declares, through the generic error analysis."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "exercises" / "unseen"))

from corpus import corpus_files, grade, is_named, load_entry  # noqa: E402

from llmprep.exercises import get_exercise  # noqa: E402
from llmprep.grading.trusted import first_failure_in_process  # noqa: E402

FILES = corpus_files()
EXERCISES = sorted({f.exercise_id for f in FILES})
SEEDS = range(12)  # every file was also rejected on each of seeds 12-19 when this ran 20 seeds
FALSE_PASSES = ["embedding/squeeze_drops_size_one_axes", "int8-quantization/zero_channel_zero_scale",
                "scaled-dot-product-attention/view_on_inputs"]


def test_every_exercise_has_three_unseen_mistakes():
    for exercise_id in EXERCISES:
        assert sum(f.exercise_id == exercise_id for f in FILES) >= 3, exercise_id


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_rejected_on_every_seed(exercise_id):
    exercise = get_exercise(exercise_id)
    memo: dict = {}
    for seed in SEEDS:
        for item in (f for f in FILES if f.exercise_id == exercise_id):
            failed_on = first_failure_in_process(exercise, load_entry(item, exercise.entry), seed=seed, memo=memo)
            assert failed_on is not None, f"{item.name} passes on seed {seed}"
        memo.clear()


@pytest.mark.parametrize("name", FALSE_PASSES)
def test_former_false_passes_are_rejected_saying_why(name):
    item = next(f for f in FILES if f.name == name)
    report, _ = grade(item, seed=5)
    assert not report.passed, f"{name} passed on seed 5"
    assert is_named(item, report), f"{name}: the report does not say {item.fact!r}"


# Rejected, but the report does not state the declared fact (seed 0): what the analysis cannot yet say.
NOT_YET_NAMED = {"beam-search/eos_takes_beam_slot", "beam-search/ranked_by_raw_sum",
                 "sliding-window-attention/negative_slice_start", "speculative-decoding/residual_q_minus_p",
                 "data-parallel-step/biases_not_reduced", "data-parallel-step/gradients_never_zeroed",
                 "int8-quantization/scale_from_max_not_absmax", "lora-linear/lora_dropout_on",
                 "transformer-decoder-block/float_causal_mask"}


def test_the_report_names_at_least_85_percent_of_the_corpus():
    assert NOT_YET_NAMED <= {f.name for f in FILES}
    named = 1 - len(NOT_YET_NAMED) / len(FILES)
    assert named >= 0.85, f"named {named:.0%}; not named: {sorted(NOT_YET_NAMED)}"


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_report_names_each_unseen_mistake(exercise_id):
    """Per exercise (so the 105 files spread over the test processes): every file is rejected on
    seed 0, and every file outside NOT_YET_NAMED has its fact stated."""
    seed = 0
    memo: dict = {}
    unnamed = []
    for item in (f for f in FILES if f.exercise_id == exercise_id):
        report, _ = grade(item, seed, memo=memo)
        assert not report.passed, f"{item.name} passes on seed {seed}"
        if not is_named(item, report) and item.name not in NOT_YET_NAMED:
            unnamed.append(f"{item.name}: the report does not say {item.fact!r}")
    assert not unnamed, f"seed {seed}: " + "; ".join(unnamed)


@pytest.mark.parametrize("name", ["softmax/returns_log_probabilities", "sinusoidal-positional-encoding/positions_from_one",
                                  "scaled-dot-product-attention/scale_by_value_width"])
def test_every_finding_has_chinese(name):
    item = next(f for f in FILES if f.name == name)
    report, _ = grade(item, seed=1, lang="zh")
    assert report.findings, name
    for finding in report.findings:
        assert finding.zh and finding.zh != finding.en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message("zh"))
