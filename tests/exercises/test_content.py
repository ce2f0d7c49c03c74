"""Content tests over every exercise folder (new folders are picked up automatically)."""

from __future__ import annotations

import dataclasses
import inspect
import json

import pytest
import torch

from llmprep.exercises import list_exercises, readme_sections
from llmprep.grading.cases import load_mistakes, load_module, make_cases, reference_entry
from llmprep.grading.check import check_trusted_implementation, grade_in_process, run_in_process

EXERCISES = list_exercises()
IDS = [e.id for e in EXERCISES]
MISTAKES = [(e, m.id) for e in EXERCISES for m in load_mistakes(e)]
# A distributed exercise's harness starts a process per rank on every call: seconds per test, so its
# in-process runs are left to the full suite (`-m "not slow"` skips them).
_PER_RANK_PROCESSES = {e.id for e in EXERCISES if e.topic == "distributed-training"}


def _slow_if_distributed(exercise, *values):
    """A pytest.param of (exercise, *values), marked slow for a distributed exercise."""
    marks = [pytest.mark.slow] if exercise.id in _PER_RANK_PROCESSES else []
    return pytest.param(exercise, *values, marks=marks, id=":".join([exercise.id, *map(str, values)]))


IN_PROCESS = [_slow_if_distributed(e) for e in EXERCISES]
# Shared by the mistake tests: the reference and every mistake run once per exercise and seed,
# not once per mistake graded (load_mistakes caches the modules, so implementations are the same objects).
_RUNS: dict = {}


def test_there_are_exercises():
    assert {"softmax", "scaled-dot-product-attention", "multi-head-attention",
            "sinusoidal-positional-encoding"} <= set(IDS)


def test_worked_examples_of_topics_md_are_fixed_cases():
    by_id = {e.id: e for e in EXERCISES}
    for exercise_id, name in (("scaled-dot-product-attention", "001-dog-cat-fish"),
                              ("scaled-dot-product-attention", "004-example"),
                              ("sinusoidal-positional-encoding", "d4-worked-example")):
        case = next(c for c in make_cases(by_id[exercise_id], 0) if c.name == name)
        assert case.expected is not None


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_readme_shows_the_signature_in_both_languages(exercise):
    sections = readme_sections(exercise.path("README.md").read_text(encoding="utf-8"))
    assert set(sections) >= {"en", "zh"}
    for lang in ("en", "zh"):
        for line in exercise.signature.splitlines():
            assert line.strip() in sections[lang], (lang, line)


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_folder_is_complete_and_hinted(exercise):
    for name in ("starter.py", "reference.py", "spec.py", "mistakes.py", "README.md"):
        assert exercise.path(name).is_file(), name
    assert len(exercise.hints) >= 2 and all(h.get("en") and h.get("zh") for h in exercise.hints)
    assert exercise.title.get("en") and exercise.title.get("zh")
    assert len(load_mistakes(exercise)) >= 3


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_cases_are_reproducible_and_include_five_random(exercise):
    first, second, other = make_cases(exercise, 7), make_cases(exercise, 7), make_cases(exercise, 8)
    assert sum(c.name.startswith("random") for c in first) >= 5
    assert [c.name for c in first] == [c.name for c in second]

    def tensors(cases):
        return [a for c in cases for a in c.args if isinstance(a, torch.Tensor)]

    assert all(torch.equal(a, b) for a, b in zip(tensors(first), tensors(second), strict=True))
    randoms = [c for c in first if c.name.startswith("random")]
    other_randoms = [c for c in other if c.name.startswith("random")]
    assert any(repr(a.args) != repr(b.args) for a, b in zip(randoms, other_randoms, strict=True))


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_reference_reproduces_the_worked_examples(exercise):
    from llmprep.grading.check import build_requests

    cases = make_cases(exercise, 0)
    _, requests = build_requests(exercise, cases, "float64", 0)
    checked = 0
    for case, request in zip(cases, requests, strict=True):
        if case.expected is None:
            continue
        output = run_in_process(exercise, reference_entry(exercise), dataclasses.replace(request, grad=False)).output["tensor"]
        torch.testing.assert_close(output.double(), case.expected.double(), atol=1e-4, rtol=0)
        checked += 1
    if not checked:
        pytest.skip("no fixed case of this spec gives an `expected` worked example")


# Two seeds, so a diagnosis that holds only for one draw of the random cases is caught; the second
# is for the full suite (the fast subset, `-m "not slow"`, runs the first).
_SEEDS = [0, pytest.param(1, marks=pytest.mark.slow)]


@pytest.mark.parametrize("seed", _SEEDS)
@pytest.mark.parametrize(("exercise", "mistake_id"), [_slow_if_distributed(e, m) for e, m in MISTAKES])
def test_every_mistake_fails_and_is_diagnosed_as_itself(exercise, mistake_id, seed, seed_note):
    seed_note(seed)
    mistake = next(m for m in load_mistakes(exercise) if m.id == mistake_id)
    verdicts, diagnosis = check_trusted_implementation(exercise, mistake.implementation, seed=seed, memo=_RUNS)
    assert not all(v.passed for v in verdicts)
    assert [d.id for d in diagnosis] == [mistake_id], [(v.name, v.error) for v in verdicts if not v.passed]


@pytest.mark.parametrize("exercise", IN_PROCESS)
def test_reference_passes_in_process_in_float64(exercise, seed_note):
    seed_note(3)
    verdicts, diagnosis = check_trusted_implementation(exercise, reference_entry(exercise), dtype="float64", seed=3)
    assert all(v.passed for v in verdicts), [(v.name, v.error) for v in verdicts if not v.passed]
    assert diagnosis == []


# ---- through the real worker and CLI: each run starts a worker process (a torch import), so slow


def _parameters(function) -> list[tuple]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("exercise", IN_PROCESS)
def test_starter_has_the_references_signature_and_raises_not_implemented(exercise, seed_note):
    seed_note(0)
    starter = getattr(load_module(exercise, "starter.py"), exercise.entry)
    reference = reference_entry(exercise)
    if exercise.kind == "module":
        starter, reference = starter.__init__, reference.__init__  # forward() may differ only in its body
    # the same parameters (names, kinds, defaults); annotations may differ
    assert _parameters(starter) == _parameters(reference)
    entry = getattr(load_module(exercise, "starter.py"), exercise.entry)
    verdicts, _ = check_trusted_implementation(exercise, entry, seed=0, memo=_RUNS)
    assert verdicts and all("NotImplementedError" in (v.error or "") for v in verdicts), verdicts[0].error


# One starter of each way of calling the entry (function, module, harness) through the real worker
# and CLI; every starter is checked in process above (each worker run costs a torch import).
_STARTERS_THROUGH_THE_WORKER = ("softmax", "multi-head-attention", "train-step")


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", _STARTERS_THROUGH_THE_WORKER)
def test_starter_fails_with_exit_1(exercise_id, run_cli):
    exercise = next(e for e in EXERCISES if e.id == exercise_id)
    result = run_cli("check", str(exercise.path("starter.py")), "--exercise", exercise.id, "--json", "--seed", "1")
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert document["passed"] is False
    assert any("NotImplementedError" in (c["error"] or "") for c in document["cases"]) or \
        "NotImplementedError" in (document["problem"] or "")


# Every reference in float32 in process, with the banned-call record `check` keeps (cheap); through
# the worker and CLI, every exercise whose harness runs inside the sandbox, one plain function and one
# plain module, and float64 for one exercise of each way of calling the entry — each worker run costs
# a torch import.
@pytest.mark.parametrize("exercise", IN_PROCESS)
def test_reference_passes_in_process_in_float32_calling_no_banned_builtin(exercise, test_seed):
    report = grade_in_process(exercise.path("reference.py"), exercise, reference_entry(exercise), seed=test_seed,
                              record_banned=True)
    assert report.passed, [(c.name, c.error) for c in report.cases if not c.passed]


_PLAIN_THROUGH_THE_WORKER = {"softmax", "multi-head-attention"}
_FLOAT64_THROUGH_THE_WORKER = {"softmax", "multi-head-attention", "train-step"}
_WORKER_RUNS = [(e, "float32") for e in EXERCISES if e.harness or e.id in _PLAIN_THROUGH_THE_WORKER] + [
    (e, "float64") for e in EXERCISES if e.id in _FLOAT64_THROUGH_THE_WORKER]


def test_the_worker_runs_cover_every_harness_and_way_of_calling():
    through = {e.id for e, _ in _WORKER_RUNS}
    assert {e.id for e in EXERCISES if e.harness} <= through
    assert {e.kind for e in EXERCISES if e.id in through and not e.harness} == {"function", "module"}


@pytest.mark.slow
@pytest.mark.parametrize(("exercise", "dtype"), _WORKER_RUNS, ids=[f"{e.id}-{d}" for e, d in _WORKER_RUNS])
def test_reference_passes_through_the_worker(exercise, dtype, run_cli, test_seed):
    result = run_cli("check", str(exercise.path("reference.py")), "--exercise", exercise.id,
                     "--dtype", dtype, "--json", "--seed", str(test_seed))
    document = json.loads(result.stdout)
    assert result.exit_code == 0, [c for c in document["cases"] if not c["passed"]]
    assert document["passed"] is True and document["dtype"] == dtype
    assert len(document["cases"]) >= 10
