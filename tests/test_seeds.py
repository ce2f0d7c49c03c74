"""The suite's seed policy (tests/conftest.py): fixed seeds, printed when a test fails."""

from __future__ import annotations

from pathlib import Path

CONFTEST = Path(__file__).with_name("conftest.py").read_text(encoding="utf-8")

PROBE = """
import random

def test_draws(test_seed, seed_note):
    seed_note(4242)
    print("value", random.random(), "seed", test_seed)
    assert False

def test_passes(test_seed):
    assert test_seed >= 0
"""


def _run(pytester, *args):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_probe=PROBE)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist", *args)


def _printed(result, word: str) -> list[str]:
    return [line for line in result.outlines if line.startswith(word)]


def test_a_failing_test_prints_its_seeds_and_they_are_fixed(pytester):
    first, second = _run(pytester), _run(pytester)
    first.assert_outcomes(passed=1, failed=1)
    report = "\n".join(first.outlines)
    assert "this test ran from seed(s)" in report and "4242" in report
    # the same seed, hence the same global draw, on every run
    assert _printed(first, "value") == _printed(second, "value") != []


def test_llmprep_test_seed_overrides_the_seed(pytester, monkeypatch):
    monkeypatch.setenv("LLMPREP_TEST_SEED", "17")
    result = _run(pytester)
    assert _printed(result, "value")[0].endswith("seed 17")
    assert "LLMPREP_TEST_SEED=17" in "\n".join(result.outlines)
