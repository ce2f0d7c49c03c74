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
    """Register the test-only family for one test (the package itself never sees it)."""
    from llmprep.quiz.generators import FAMILIES, Family

    family = Family(name="toy-softmax", topic="attention",
                    description={"en": "softmax of two small logits", "zh": "两个小 logit 的 softmax"},
                    generate=make_toy_question)
    monkeypatch.setitem(FAMILIES, family.name, family)
    return family
