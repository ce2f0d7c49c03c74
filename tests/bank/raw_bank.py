"""The real bank's topic files as yaml.safe_load reads them, parsed once per test process.

The bank tests read the YAML themselves rather than through llmprep's loader, so a loader bug cannot
hide a bad bank; parsing it takes seconds, so the three modules that need it share this one read.
"""

from __future__ import annotations

from pathlib import Path

import yaml

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


def topic_files() -> list[Path]:
    """Every topic file of the bank (everything but sources.yaml), sorted by name."""
    return sorted(p for p in QUESTIONS.glob("*.y*ml") if p.name != "sources.yaml")


# File name -> what yaml.safe_load returned (a list of question dicts when the file is right).
RAW: dict[str, object] = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) or []
                          for path in topic_files()}
