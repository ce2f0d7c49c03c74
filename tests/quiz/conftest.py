"""Fixtures for the quiz tests: the sample bank as the bank the CLI loads, and the test-only family."""

from __future__ import annotations

from pathlib import Path

import pytest
from quiz_sample import make_toy_question, write_bank


@pytest.fixture
def sample_bank(tmp_path, monkeypatch) -> Path:
    """The sample bank, made the bank that `llmprep quiz` and `llmprep questions` load."""
    directory = write_bank(tmp_path / "questions")
    monkeypatch.setattr("llmprep.paths.questions_dir", lambda: directory)
    return directory


@pytest.fixture
def toy_family(monkeypatch):
    """Make the test-only family the only one registered, for one test (the package never sees it)."""
    from llmprep.quiz import generators
    from llmprep.quiz.generators import Family

    family = Family(name="toy-softmax", topic="attention",
                    description={"en": "softmax of two small logits", "zh": "两个小 logit 的 softmax"},
                    generate=make_toy_question)
    # Load the real families first (a later load would not register them again), then hide them.
    for name in list(generators.load_families()):
        monkeypatch.delitem(generators.FAMILIES, name)
    monkeypatch.setitem(generators.FAMILIES, family.name, family)
    return family
