"""Fixtures for the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_sample import write_tiny_bank


@pytest.fixture
def tiny_bank(tmp_path, monkeypatch) -> Path:
    """The tiny bank, made the bank that `llmprep quiz` and `llmprep progress` load."""
    directory = write_tiny_bank(tmp_path / "questions")
    monkeypatch.setattr("llmprep.paths.questions_dir", lambda: directory)
    return directory
