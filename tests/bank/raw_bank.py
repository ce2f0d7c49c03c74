"""The real bank's topic files as yaml.safe_load reads them, parsed once per test process.

The bank tests read the YAML themselves rather than through llmprep's loader, so a loader bug cannot
hide a bad bank; parsing it takes seconds, so the three modules that need it share this one read.
"""

from __future__ import annotations

from pathlib import Path

import yaml

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
# The topics the five source documents do not cover (after TOPICS.md's 16 in llmprep.topics.TOPIC_IDS):
# their questions cite papers, listed under `papers:` in sources.yaml.
NEW_TOPICS = ("mixture-of-experts", "post-training", "long-context", "reasoning", "serving", "scaling-laws",
              "quantization", "agents-rag", "modern-architectures", "training-at-scale")


def topic_files() -> list[Path]:
    """Every topic file of the bank (everything but sources.yaml), sorted by name."""
    return sorted(p for p in QUESTIONS.glob("*.y*ml") if p.name != "sources.yaml")


# File name -> what yaml.safe_load returned (a list of question dicts when the file is right).
# The C loader when PyYAML has it (ten times faster, same result), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RAW: dict[str, object] = {path.name: yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
                          for path in topic_files()}
